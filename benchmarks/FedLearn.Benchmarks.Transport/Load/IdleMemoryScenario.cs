using System.Diagnostics;
using System.Globalization;
using FedLearn.Transport.Grpc.Server;

namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>
/// Server memory per idle connected client, as the slope of a least-squares line through the server's memory at
/// several client counts (one server, clients added in steps, each step a child process), so that no single
/// no-client baseline decides the result. Each repetition is a fresh server process; the medians of the slopes are
/// reported.
/// </summary>
internal static class IdleMemoryScenario
{
    private const string SlopesTag = "SLOPES";
    private static readonly string[] Measures = ["resident", "anonymous", "managed heap", "GC committed"];

    /// <summary>Runs <paramref name="repetitions"/> fresh server processes and prints the median slopes.</summary>
    /// <param name="counts">Client counts to measure at, ascending.</param>
    /// <param name="repetitions">Fresh server processes.</param>
    /// <param name="tls">Mutual TLS (else h2c).</param>
    /// <param name="settings">Passed to each run: <c>key=value</c> settings of the server (see <see cref="Configure"/>) and <c>heap</c> (a last extra run that diffs the managed heap by type).</param>
    public static async Task<int> RunAsync(int[] counts, int repetitions, bool tls, string[] settings)
    {
        string[] serverSettings = settings.Where(s => s.Contains('=', StringComparison.Ordinal)).ToArray();
        var runs = new List<double[]>();
        for (int repetition = 1; repetition <= repetitions; repetition++)
        {
            Console.WriteLine($"Repetition {repetition} of {repetitions}:");
            runs.Add(await RunOnceInChildAsync(counts, tls, serverSettings, heap: false));
        }

        Console.WriteLine();
        Console.WriteLine($"Per idle client ({(tls ? "mutual TLS" : "h2c")}, clients {string.Join(", ", counts)}, {repetitions} server processes{(serverSettings.Length > 0 ? ", " + string.Join(" ", serverSettings) : string.Empty)}), KiB per client:");
        Console.WriteLine("| slope of | all counts, median (runs) | counts > 0 only, median (runs) |");
        Console.WriteLine("| --- | --- | --- |");
        for (int m = 0; m < Measures.Length; m++)
        {
            Console.WriteLine($"| {Measures[m]} | {Summary(runs, m)} | {Summary(runs, Measures.Length + m)} |");
        }

        if (settings.Contains("heap"))
        {
            Console.WriteLine();
            Console.WriteLine("Extra run with heap dumps at the lowest and the highest count (not part of the slopes above):");
            await RunOnceInChildAsync(counts, tls, serverSettings, heap: true);
        }

        return 0;
    }

    /// <summary>One server process: clients added step by step, memory sampled at each count, slopes printed.</summary>
    public static async Task<int> OnceAsync(int[] counts, bool tls, string[] settings)
    {
        bool heap = settings.Contains("heap");
        string directory = Directory.CreateTempSubdirectory("fedlearn-idle-").FullName;
        string[] ids = Enumerable.Range(0, counts[^1]).Select(i => $"client-{i}").ToArray();
        var children = new List<Process>();
        var points = new List<(int Clients, MemorySample Memory)>();
        var dumps = new List<string>();
        await using (LoopbackServer server = await LoopbackServer.StartAsync(directory, ids, tls, configure: o => Configure(o, settings)))
        {
            try
            {
                Console.WriteLine("| clients | connect time | resident | anonymous | managed heap | GC committed | threads |");
                Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
                int connected = 0;
                foreach (int count in counts)
                {
                    var watch = Stopwatch.StartNew();
                    if (count > connected)
                    {
                        children.Add(LoadScenarios.StartClients(server, directory, count - connected, 0, connected));
                        await server.Transport.WaitForClientsAsync(count, TimeSpan.FromMinutes(10), CancellationToken.None);
                        connected = count;
                    }

                    double connect = watch.Elapsed.TotalSeconds;
                    await Task.Delay(TimeSpan.FromSeconds(5));
                    var samples = new List<MemorySample>();
                    for (int i = 0; i < 3; i++)
                    {
                        samples.Add(MemorySample.Take());
                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }

                    MemorySample memory = MemorySample.Median(samples);
                    points.Add((count, memory));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {count} | {connect:F1} s | {Mib(memory.Resident)} | {Mib(memory.Anonymous)} | {Mib(memory.ManagedHeap)} | {Mib(memory.GcCommitted)} | {Threads()} |"));
                    if (heap && (count == counts[0] || count == counts[^1]))
                    {
                        dumps.Add(HeapTypeDiff.WriteDump(directory, count));
                    }
                }
            }
            finally
            {
                await server.Transport.ShutdownAsync("measurement done", completed: true, CancellationToken.None);
                foreach (Process child in children)
                {
                    await StopAsync(child);
                }
            }
        }

        double[] all = Slopes(points);
        double[] connectedOnly = points.Count(p => p.Clients > 0) >= 2 ? Slopes(points.Where(p => p.Clients > 0).ToList()) : all.Select(_ => double.NaN).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{SlopesTag} {string.Join(' ', all.Concat(connectedOnly).Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}"));
        if (dumps.Count == 2)
        {
            HeapTypeDiff.Print(dumps[0], dumps[1], counts[^1] - counts[0], top: 40);
        }

        Directory.Delete(directory, recursive: true);
        return 0;
    }

    /// <summary>Server settings for A/B runs, as <c>key=value</c>; unknown keys are refused so a typo cannot pass as a measurement.</summary>
    public static void Configure(GrpcServerOptions options, string[] settings)
    {
        foreach (string setting in settings.Where(s => s.Contains('=', StringComparison.Ordinal)))
        {
            string[] parts = setting.Split('=', 2);
            int value = int.Parse(parts[1], CultureInfo.InvariantCulture);
            switch (parts[0])
            {
                case "connection-window":
                    options.Http2ConnectionWindowBytes = value;
                    break;
                case "stream-window":
                    options.Http2StreamWindowBytes = value;
                    break;
                default:
                    throw new ArgumentException($"Unknown setting '{parts[0]}'.");
            }
        }
    }

    private static double[] Slopes(IReadOnlyList<(int Clients, MemorySample Memory)> points)
    {
        double[] x = points.Select(p => (double)p.Clients).ToArray();
        double Kib(Func<MemorySample, long> field) => LeastSquares.Slope(x, points.Select(p => field(p.Memory) / 1024.0).ToArray());
        return [Kib(m => m.Resident), Kib(m => m.Anonymous), Kib(m => m.ManagedHeap), Kib(m => m.GcCommitted)];
    }

    private static async Task<double[]> RunOnceInChildAsync(int[] counts, bool tls, string[] settings, bool heap)
    {
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true };
        start.ArgumentList.Add(typeof(IdleMemoryScenario).Assembly.Location);
        start.ArgumentList.Add("idle-memory-once");
        start.ArgumentList.Add(string.Join(',', counts));
        start.ArgumentList.Add(tls ? "tls" : "h2c");
        foreach (string setting in heap ? settings.Append("heap") : settings)
        {
            start.ArgumentList.Add(setting);
        }

        using Process child = Process.Start(start)!;
        double[]? slopes = null;
        while (await child.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith(SlopesTag, StringComparison.Ordinal))
            {
                slopes = line[SlopesTag.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        await child.WaitForExitAsync();
        return child.ExitCode == 0 && slopes is not null ? slopes : throw new InvalidOperationException($"The measuring process failed (exit code {child.ExitCode}).");
    }

    private static string Summary(List<double[]> runs, int index)
    {
        double[] values = runs.Select(r => r[index]).ToArray();
        double median = values.Order().ElementAt(values.Length / 2);
        return string.Create(CultureInfo.InvariantCulture, $"{median:F1} ({string.Join(", ", values.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))})");
    }

    private static async Task StopAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
        }

        child.Dispose();
    }

    /// <summary>Threads of this process (thread stacks and per-thread allocator arenas are resident memory too).</summary>
    private static int Threads()
    {
        using Process process = Process.GetCurrentProcess();
        return process.Threads.Count;
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB");
}
