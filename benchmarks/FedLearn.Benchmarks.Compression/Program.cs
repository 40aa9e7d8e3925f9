using System.Globalization;
using BenchmarkDotNet.Running;
using FedLearn.Benchmarks.Compression;

// `--report [n]` prints the compression-ratio table (markdown) for an n-float vector (default 10,000,000);
// anything else goes to BenchmarkDotNet, for example `--filter *PipelineBenchmarks*`.
if (args.Length > 0 && args[0] == "--report")
{
    int n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000;
    Console.Write(RatioReport.Build(n));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
