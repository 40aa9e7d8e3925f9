using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/FedLearn.Privacy.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
