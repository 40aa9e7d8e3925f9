using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace FedLearn.Benchmarks.Compression;

/// <summary>
/// A short job (one launch, one warm-up, five measured iterations) because the machine is shared: medians and
/// ratios against the baseline in the same run are what to read, not absolute times. Memory diagnoser on. In process
/// (no generated project to build), which also keeps the TorchSharp native library loaded once per run; the time
/// limit per benchmark is an hour because the naive baseline at 10M floats takes tens of seconds per call when the
/// machine is busy.
/// </summary>
internal sealed class BenchmarkConfig : ManualConfig
{
    public BenchmarkConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(1), logOutput: true)).WithId("Short"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddColumn(StatisticColumn.Median, new ThroughputColumn());
        HideColumns(StatisticColumn.Error, StatisticColumn.StdDev);
        WithOptions(ConfigOptions.DisableOptimizationsValidator);
    }
}
