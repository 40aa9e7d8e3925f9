using System.Globalization;
using BenchmarkDotNet.Running;
using FedLearn.Benchmarks.Compression;

// `--report [n]` prints the compression-ratio table (markdown) for an n-float vector (default 10,000,000);
// `--report-delta [rounds] [data-dir]` prints the same table on real CNN updates from dense FedAvg (see DeltaReport);
// `--cpu-time [n]` prints the hybrid chains against TorchSharp and the naive baseline in CPU time (see CpuTimeReport);
// `--stages [n] [chain]` times each stage of a top-k chain's encoder and decoder (see StageReport);
// anything else goes to BenchmarkDotNet, for example `--filter *PipelineBenchmarks*`.
if (args.Length > 0 && args[0] == "--report")
{
    int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000;
    Console.Write(RatioReport.Build(n));
    return;
}

if (args.Length > 0 && args[0] == "--report-delta")
{
    int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
    Console.Write(await DeltaReport.BuildAsync(rounds, args.Length > 2 ? args[2] : null, CancellationToken.None));
    return;
}

if (args.Length > 0 && args[0] == "--cpu-time")
{
    int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000;
    Console.Write(CpuTimeReport.Build(n));
    return;
}

if (args.Length > 0 && args[0] == "--stages")
{
    int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000;
    string chain = args.Length > 2 ? args[2] : "ef,topk:0.1,q:8";
    Console.Write(StageReport.Build(n, chain));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
