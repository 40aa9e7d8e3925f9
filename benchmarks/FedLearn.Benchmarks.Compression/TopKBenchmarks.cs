using BenchmarkDotNet.Attributes;
using FedLearn.Compression.TopK;

namespace FedLearn.Benchmarks.Compression;

/// <summary>Selecting the top 1% by magnitude: full sort (baseline) against introselect and the sampled filter.</summary>
[Config(typeof(BenchmarkConfig))]
public class TopKBenchmarks
{
    private float[] _update = [];
    private int[] _indices = [];

    [Params(1_000_000, 10_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _update = Vectors.Gaussian(N, 2);
        _indices = new int[N / 100];
    }

    [Benchmark(Baseline = true)]
    public int[] ArraySort()
    {
        float[] keys = new float[N];
        int[] order = new int[N];
        for (int i = 0; i < N; i++)
        {
            keys[i] = -Math.Abs(_update[i]);
            order[i] = i;
        }

        Array.Sort(keys, order);
        int[] kept = order[..(N / 100)];
        Array.Sort(kept);
        return kept;
    }

    [Benchmark]
    public int[] Introselect()
    {
        TopKSelector.Select(_update, _indices.Length, _indices, 3, useSampling: false);
        return _indices;
    }

    [Benchmark]
    public int[] SampledFilter()
    {
        TopKSelector.Select(_update, _indices.Length, _indices, 3, useSampling: true);
        return _indices;
    }
}
