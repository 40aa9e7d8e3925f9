using System.Diagnostics;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.SecureAggregation;

namespace FedLearn.Benchmarks.Privacy;

/// <summary>
/// The server's SecAgg+ unmasking for one configuration, timed by wall clock and by the process' CPU time: on a machine
/// shared with other work the wall time overstates the cost, while CPU time divided by the cores used bounds what an
/// idle machine would take. Three unmaskings of the same round after one warm-up; prints each and the median.
/// </summary>
internal static class UnmaskCpuTime
{
    public static async Task RunAsync(int clients, int length, double dropout)
    {
        var prepare = Stopwatch.StartNew();
        var federation = new SecAggPlusFederation(clients, dropout, new SecAggPlusOptions());
        List<ClientUpdate> updates = await federation.PrepareAsync(length, shareOnePayload: (long)clients * length > 100_000_000);
        SecAggPlusRoundState state = federation.Server.State!;
        var destination = new float[length];
        Console.WriteLine($"n={clients} d={length} dropout={dropout}: key set-up and masked inputs of all clients took {prepare.Elapsed.TotalSeconds:F1} s wall");

        var wall = new List<double>();
        var cpu = new List<double>();
        for (int run = 0; run < 4; run++)
        {
            federation.Server.State = state;
            federation.ReplayUnmask = run > 0;
            TimeSpan cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            SecureAggregationResult result = await federation.Server.AggregateAsync(1, updates, destination, federation, CancellationToken.None);
            watch.Stop();
            double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(result.FailureReason);
            }

            Console.WriteLine($"  unmask run {run}{(run == 0 ? " (warm-up, with the survivors answering)" : string.Empty)}: wall {watch.Elapsed.TotalSeconds:F2} s, CPU {cpuSeconds:F2} s");
            if (run > 0)
            {
                wall.Add(watch.Elapsed.TotalSeconds);
                cpu.Add(cpuSeconds);
            }
        }

        wall.Sort();
        cpu.Sort();
        Console.WriteLine($"  median: wall {wall[1]:F2} s, CPU {cpu[1]:F2} s (CPU / {Environment.ProcessorCount} cores = {cpu[1] / Environment.ProcessorCount:F2} s)");
        long up = federation.BytesUp.Where(p => !federation.Dropped.Contains(p.Key)).Sum(p => p.Value) / federation.BytesUp.Count(p => !federation.Dropped.Contains(p.Key));
        Console.WriteLine($"  bytes up per surviving client {up} = {(double)up / (4L * length):F4} × the dense fixed-point vector ({4L * length} bytes)");
    }
}
