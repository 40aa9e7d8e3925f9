using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/FedLearn.Benchmarks.Privacy -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
