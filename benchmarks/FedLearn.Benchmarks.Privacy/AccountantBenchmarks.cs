using BenchmarkDotNet.Attributes;
using FedLearn.Privacy.Accounting;

namespace FedLearn.Benchmarks.Privacy;

// What DP-SGD pays to report ε after a step: a query on an accountant whose RDP curve is cached (the usual case)
// against one that must compute the curve first (a new (σ, q) pair), at Opacus's 151 default orders.
[MedianColumn]
public class AccountantBenchmarks
{
    private readonly RdpAccountant _warm = new();

    [GlobalSetup]
    public void Setup()
    {
        _warm.AddSteps(1.1, 256.0 / 60_000, 14_062);
        _ = _warm.GetEpsilon(1e-5);
    }

    [Benchmark(Baseline = true)]
    public double StepAndQueryCached()
    {
        _warm.Step(1.1, 256.0 / 60_000);
        return _warm.GetEpsilon(1e-5);
    }

    [Benchmark]
    public double QueryWithNewCurve()
    {
        var cold = new RdpAccountant();
        cold.AddSteps(1.1, 256.0 / 60_000, 14_062);
        return cold.GetEpsilon(1e-5);
    }
}
