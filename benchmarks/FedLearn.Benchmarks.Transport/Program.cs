using System.Globalization;
using BenchmarkDotNet.Running;
using FedLearn.Benchmarks.Transport.Load;
using FedLearn.Benchmarks.Transport.Throughput;

// dotnet FedLearn.Benchmarks.Transport.dll many-clients [clients] [parameters] [rounds] [tls|h2c]
// dotnet FedLearn.Benchmarks.Transport.dll idle-memory [counts, e.g. 0,100,200,400] [repetitions] [tls|h2c] [key=value ...] [heap]
// dotnet FedLearn.Benchmarks.Transport.dll gigabyte [tls|h2c]
// dotnet FedLearn.Benchmarks.Transport.dll probe [repetitions] [raw|ssl|aes-gcm|tls-down|tls-up|tls-up-4k|h2c-down|h2c-up ...]
// anything else runs BenchmarkDotNet (for example --filter *Throughput*).
return args.FirstOrDefault() switch
{
    "many-clients" => await LoadScenarios.ManyClientsAsync(Arg(1, 200), Arg(2, 1_000_000), Arg(3, 5), args.ElementAtOrDefault(4) != "h2c"),
    "idle-memory" => await IdleMemoryScenario.RunAsync(Counts(1), Arg(2, 3), args.ElementAtOrDefault(3) != "h2c", args.Skip(4).ToArray()),
    "idle-memory-once" => await IdleMemoryScenario.OnceAsync(Counts(1), args.ElementAtOrDefault(2) != "h2c", args.Skip(3).ToArray()),
    "gigabyte" => await LoadScenarios.GigabyteAsync(args.ElementAtOrDefault(1) != "h2c"),
    "probe" => await ThroughputProbe.RunAsync(Arg(1, 3), args.Skip(2).ToArray()),
    "clients" => await ClientsCommand.RunAsync(args[1], args[2], Arg(3, 1), Arg(4, 0), Arg(5, 0)),
    _ => Run(args),
};

int[] Counts(int index) => (args.ElementAtOrDefault(index) ?? "0,100,200,400").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).Distinct().Order().ToArray();

int Arg(int index, int fallback) => args.Length > index && int.TryParse(args[index], NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : fallback;

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    return 0;
}

internal partial class Program;
