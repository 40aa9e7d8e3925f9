using System.Globalization;

namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>
/// This process's memory after a full, compacting collection: resident set and its anonymous part (from
/// /proc/self/smaps_rollup; file-backed pages are shared code and mapped files, not per-connection state), the live
/// managed heap, and what the collector has committed from the OS.
/// </summary>
internal readonly record struct MemorySample(long Resident, long Anonymous, long ManagedHeap, long GcCommitted)
{
    public static MemorySample Take()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        long committed = GC.GetGCMemoryInfo(GCKind.FullBlocking).TotalCommittedBytes;
        (long resident, long anonymous) = ReadRollup();
        return new MemorySample(resident, anonymous, heap, committed);
    }

    /// <summary>The element-wise median of several samples.</summary>
    public static MemorySample Median(IReadOnlyList<MemorySample> samples)
    {
        long Mid(Func<MemorySample, long> field) => samples.Select(field).Order().ElementAt(samples.Count / 2);
        return new MemorySample(Mid(s => s.Resident), Mid(s => s.Anonymous), Mid(s => s.ManagedHeap), Mid(s => s.GcCommitted));
    }

    private static (long Resident, long Anonymous) ReadRollup()
    {
        const string path = "/proc/self/smaps_rollup";
        if (!File.Exists(path))
        {
            return (MemoryProbe.Resident(), 0);
        }

        long resident = 0, anonymous = 0;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line);
            }
            else if (line.StartsWith("Anonymous:", StringComparison.Ordinal))
            {
                anonymous = Kilobytes(line);
            }
        }

        return (resident, anonymous);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
}
