using System.Globalization;
using BenchmarkDotNet.Running;
using FedLearn;
using FedLearn.Benchmarks.Compression;

// `--report [n]` prints the compression-ratio table (markdown) for an n-float vector (default 10,000,000);
// `--report-delta [rounds] [data-dir]` prints the same table on real CNN updates from dense FedAvg (see DeltaReport);
// `--cpu-time [n]` prints the hybrid chains against TorchSharp and the naive baseline in CPU time (see CpuTimeReport);
// `--stages [n] [chain] [gaussian|layered]` times each stage of a top-k chain's encoder and decoder (see StageReport);
// anything else goes to BenchmarkDotNet, for example `--filter *PipelineBenchmarks*`.
try
{
    if (args.Length > 0 && args[0] == "--report")
    {
        Console.Write(RatioReport.Build(PositiveArgument(args, 1, "n", 10_000_000)));
        return 0;
    }

    if (args.Length > 0 && args[0] == "--report-delta")
    {
        int rounds = PositiveArgument(args, 1, "rounds", 5);
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.Write(await DeltaReport.BuildAsync(rounds, args.Length > 2 ? args[2] : null, cancellation.Token));
        return 0;
    }

    if (args.Length > 0 && args[0] == "--cpu-time")
    {
        Console.Write(CpuTimeReport.Build(PositiveArgument(args, 1, "n", 10_000_000)));
        return 0;
    }

    if (args.Length > 0 && args[0] == "--stages")
    {
        int n = PositiveArgument(args, 1, "n", 10_000_000);
        string chain = args.Length > 2 ? args[2] : "ef,topk:0.1,q:8";
        Console.Write(StageReport.Build(n, chain, args.Length > 3 ? args[3] : "gaussian"));
        return 0;
    }
}
catch (Exception exception) when (exception is ArgumentException or FedLearnFormatException or FileNotFoundException or DirectoryNotFoundException)
{
    await Console.Error.WriteLineAsync($"{args[0]}: {exception.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    await Console.Error.WriteLineAsync($"{args[0]}: cancelled");
    return 130;
}

BenchmarkSwitcher.FromAssembly(typeof(PipelineBenchmarks).Assembly).Run(args);
return 0;

// The positional argument at `index` as a positive integer, or `fallback` when it is absent.
static int PositiveArgument(string[] args, int index, string name, int fallback)
{
    if (args.Length <= index)
    {
        return fallback;
    }

    return int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
        ? value
        : throw new ArgumentException($"{name} must be a positive whole number, got '{args[index]}'.");
}
