using BenchmarkDotNet.Running;
using FedLearn.Benchmarks.Privacy;

// dotnet run -c Release --project benchmarks/FedLearn.Benchmarks.Privacy -- --filter '*'
// dotnet run -c Release --project benchmarks/FedLearn.Benchmarks.Privacy -- unmask-cpu <clients> <length> <dropout>
if (args is ["unmask-cpu", var clients, var length, var dropout])
{
    await UnmaskCpuTime.RunAsync(int.Parse(clients, System.Globalization.CultureInfo.InvariantCulture), int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), double.Parse(dropout, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
