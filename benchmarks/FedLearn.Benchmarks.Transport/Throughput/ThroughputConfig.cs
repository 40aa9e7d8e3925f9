using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FedLearn.Benchmarks.Transport.Throughput;

/// <summary>
/// The throughput job: monitoring strategy (each operation moves 256 MiB, so no pilot and no unrolling), one launch,
/// two warm-ups (the first also builds the client's 256 MiB reply), nine measured operations, medians. In process, so
/// it runs from a published copy without building a generated project; the per-benchmark time limit is an hour,
/// because one operation takes seconds when the shared machine is busy (the in-process default aborted the earlier run).
/// Memory diagnoser on: allocations per operation show the copies and buffers the transport makes.
/// </summary>
internal sealed class ThroughputConfig : ManualConfig
{
    public ThroughputConfig()
    {
        AddJob(Job.Default
            .WithStrategy(RunStrategy.Monitoring)
            .WithLaunchCount(1)
            .WithWarmupCount(2)
            .WithIterationCount(9)
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true))
            .WithId("Throughput"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max);
        HideColumns(StatisticColumn.Error);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
