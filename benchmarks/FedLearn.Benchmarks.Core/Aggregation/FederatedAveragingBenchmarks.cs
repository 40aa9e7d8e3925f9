using BenchmarkDotNet.Attributes;
using FedLearn.Aggregation;

namespace FedLearn.Benchmarks.Core.Aggregation;

/// <summary>
/// Example-weighted FedAvg of n client deltas of d parameters: FedLearn's vectorised double-accumulating kernel
/// against a straightforward scalar loop (the baseline) in the same run.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class FederatedAveragingBenchmarks
{
    private WeightedUpdate[] _updates = [];
    private float[] _destination = [];

    [Params(10, 100)]
    public int Clients { get; set; }

    [Params(1_000_000)]
    public int Parameters { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new DeterministicRandom(1);
        _updates = new WeightedUpdate[Clients];
        for (int i = 0; i < Clients; i++)
        {
            float[] values = new float[Parameters];
            for (int j = 0; j < values.Length; j++)
            {
                values[j] = (float)(random.NextGaussian() * 0.01);
            }

            _updates[i] = new WeightedUpdate($"c{i}", values, 100 + random.NextInt(500));
        }

        _destination = new float[Parameters];
    }

    [Benchmark(Baseline = true)]
    public void ScalarLoop()
    {
        double total = 0;
        foreach (WeightedUpdate update in _updates)
        {
            total += update.Weight;
        }

        Array.Clear(_destination);
        foreach (WeightedUpdate update in _updates)
        {
            float scale = (float)(update.Weight / total);
            ReadOnlySpan<float> values = update.Values.Span;
            for (int j = 0; j < values.Length; j++)
            {
                _destination[j] += scale * values[j];
            }
        }
    }

    [Benchmark]
    public void FedLearn() => FederatedAveraging.Average(_updates, _destination);
}
