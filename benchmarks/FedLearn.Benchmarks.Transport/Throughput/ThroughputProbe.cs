using System.Diagnostics;
using System.Globalization;

namespace FedLearn.Benchmarks.Transport.Throughput;

/// <summary>
/// A quick Stopwatch run of the throughput cases (each a few times, medians printed), for profiling between changes;
/// the reported numbers come from the BenchmarkDotNet run of <see cref="LargeUpdateThroughputBenchmarks"/>.
/// </summary>
internal static class ThroughputProbe
{
    /// <param name="repetitions">Timed runs per case, after one untimed run.</param>
    /// <param name="arguments">Case names (all when none) and settings: <c>connection-window=BYTES</c>, <c>stream-window=BYTES</c>, <c>chunk=BYTES</c>.</param>
    public static async Task<int> RunAsync(int repetitions, string[] arguments)
    {
        int? Setting(string name) => arguments.FirstOrDefault(a => a.StartsWith(name + "=", StringComparison.Ordinal)) is { } found ? int.Parse(found[(name.Length + 1)..], CultureInfo.InvariantCulture) : null;
        string[] cases = arguments.Where(a => !a.Contains('=', StringComparison.Ordinal)).ToArray();
        var benchmarks = new LargeUpdateThroughputBenchmarks { Settings = (Setting("connection-window"), Setting("stream-window"), Setting("chunk")) };
        benchmarks.Setup();
        try
        {
            var all = new (string Name, Func<Task> Run)[]
            {
                ("raw", benchmarks.RawTcp),
                ("ssl", benchmarks.TlsStream),
                ("tls-down", benchmarks.GrpcTlsDown),
                ("tls-up", benchmarks.GrpcTlsUp),
                ("tls-up-4k", benchmarks.GrpcTlsUpSmallReads),
                ("h2c-down", benchmarks.GrpcPlainDown),
                ("h2c-up", benchmarks.GrpcPlainUp),
                ("aes-gcm", () => { benchmarks.RecordCryptography(); return Task.CompletedTask; }),
            };
            foreach ((string name, Func<Task> run) in all.Where(c => cases.Length == 0 || cases.Contains(c.Name)))
            {
                await run();
                var seconds = new List<double>();
                long gcBefore = GC.CollectionCount(2);
                long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                TimeSpan systemBefore = Process.GetCurrentProcess().PrivilegedProcessorTime;
                TimeSpan pauseBefore = GC.GetTotalPauseDuration();
                long faultsBefore = MinorFaults();
                for (int i = 0; i < repetitions; i++)
                {
                    var watch = Stopwatch.StartNew();
                    await run();
                    seconds.Add(watch.Elapsed.TotalSeconds);
                }

                double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds / repetitions;
                double system = (Process.GetCurrentProcess().PrivilegedProcessorTime - systemBefore).TotalSeconds / repetitions;
                long faults = (MinorFaults() - faultsBefore) / repetitions;
                double pause = (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds / repetitions;
                long allocated = (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / repetitions;
                seconds.Sort();
                double median = seconds[seconds.Count / 2];
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-9} median {median:F3} s  {256 / median,7:F0} MiB/s  (min {seconds[0]:F3}, max {seconds[^1]:F3})  cpu/op {cpu:F3} s (kernel {system:F3})  gc pause/op {pause:F3} s  faults/op {faults}  alloc/op {allocated / 1048576.0:F1} MiB  gen2 {GC.CollectionCount(2) - gcBefore}"));
            }
        }
        finally
        {
            benchmarks.Cleanup();
        }

        return 0;
    }

    private static long MinorFaults()
    {
        // /proc/self/stat: field 10 is minflt (after the parenthesised command name). Linux only; 0 elsewhere.
        if (!File.Exists("/proc/self/stat"))
        {
            return 0;
        }

        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return long.Parse(fields[7], CultureInfo.InvariantCulture);
    }
}
