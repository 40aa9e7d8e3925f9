using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>
/// Where the managed memory per client goes: a heap dump of this process at two client counts, and the difference of
/// live bytes and object counts per type, divided by the difference in clients.
/// </summary>
internal static class HeapTypeDiff
{
    /// <summary>Writes a dump (with the heap) of this process; returns its path.</summary>
    public static string WriteDump(string directory, int clients)
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        string path = Path.Combine(directory, $"server-{clients}.dmp");
        new DiagnosticsClient(Environment.ProcessId).WriteDump(DumpType.WithHeap, path);
        return path;
    }

    /// <summary>Prints the <paramref name="top"/> types whose live bytes grew most from <paramref name="before"/> to <paramref name="after"/>, per client.</summary>
    public static void Print(string before, string after, int clients, int top)
    {
        Dictionary<string, (long Bytes, long Count)> first = Types(before);
        Dictionary<string, (long Bytes, long Count)> second = Types(after);
        var growth = second
            .Select(t => (Type: t.Key, Bytes: t.Value.Bytes - first.GetValueOrDefault(t.Key).Bytes, Count: t.Value.Count - first.GetValueOrDefault(t.Key).Count))
            .OrderByDescending(t => t.Bytes)
            .ToList();
        double total = growth.Sum(t => t.Bytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Managed heap growth by type, per client ({clients} clients apart; all types: {total / clients / 1024.0:F1} KiB per client):"));
        Console.WriteLine("| namespace of the type | bytes per client |");
        Console.WriteLine("| --- | --- |");
        foreach (var group in growth.GroupBy(t => Area(t.Type)).OrderByDescending(g => g.Sum(t => t.Bytes)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {group.Key} | {group.Sum(t => t.Bytes) / (double)clients:F0} |"));
        }

        Console.WriteLine();
        Console.WriteLine("| type | bytes per client | objects per client |");
        Console.WriteLine("| --- | --- | --- |");
        foreach ((string type, long bytes, long count) in growth.Take(top))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| `{type}` | {bytes / (double)clients:F0} | {count / (double)clients:F2} |"));
        }
    }

    /// <summary>The namespace a type (or, for a generic, its outer type) belongs to, cut to two or three parts.</summary>
    private static string Area(string type)
    {
        string outer = type.Split('<', '[', '+')[0];
        string[] parts = outer.Split('.');
        int keep = parts[0] is "Microsoft" or "System" && parts.Length > 3 ? 3 : Math.Min(2, parts.Length - 1);
        return keep <= 0 ? outer : string.Join('.', parts.Take(keep));
    }

    private static Dictionary<string, (long Bytes, long Count)> Types(string dump)
    {
        using DataTarget target = DataTarget.LoadDump(dump);
        using ClrRuntime runtime = target.ClrVersions[0].CreateRuntime();
        var types = new Dictionary<string, (long Bytes, long Count)>(StringComparer.Ordinal);
        foreach (ClrObject item in runtime.Heap.EnumerateObjects())
        {
            if (!item.IsValid || item.IsFree)
            {
                continue;
            }

            // Byte arrays by length: their lengths tell which buffer they are.
            string name = item.Type?.Name ?? "(unknown)";
            if (name == "System.Byte[]")
            {
                name = string.Create(CultureInfo.InvariantCulture, $"System.Byte[{item.AsArray().Length}]");
            }

            (long bytes, long count) = types.GetValueOrDefault(name);
            types[name] = (bytes + (long)item.Size, count + 1);
        }

        return types;
    }
}
