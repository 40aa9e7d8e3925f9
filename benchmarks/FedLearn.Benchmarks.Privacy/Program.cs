using BenchmarkDotNet.Running;
using FedLearn.Benchmarks.Privacy;

// dotnet run -c Release --project benchmarks/FedLearn.Benchmarks.Privacy -- --filter '*'
// dotnet run -c Release --project benchmarks/FedLearn.Benchmarks.Privacy -- unmask-cpu <clients> <length> <dropout>
// dotnet run -c Release --project benchmarks/FedLearn.Benchmarks.Privacy -- paillier-cpu <ciphertexts>
if (args is ["unmask-cpu", var clients, var length, var dropout])
{
    await UnmaskCpuTime.RunAsync(int.Parse(clients, System.Globalization.CultureInfo.InvariantCulture), int.Parse(length, System.Globalization.CultureInfo.InvariantCulture), double.Parse(dropout, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

if (args is ["paillier-cpu", var count])
{
    PaillierCpuTime.Run(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture));
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
