using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using FedLearn.Robust.GeometricMedian;
using FedLearn.Robust.Krum;
using FedLearn.Robust.Median;
using FedLearn.Robust.TrimmedMean;

namespace FedLearn.Benchmarks.Robust;

/// <summary>
/// The robust rules at n = 50 clients and d = 1,000,000 parameters (200 MB of updates), each next to a straightforward
/// implementation in the same run. The updates are heterogeneous honest clients (a shared direction with a
/// per-client step and noise) plus 10 sign-flipped ones, so Krum and the Weiszfeld iteration do realistic work.
/// </summary>
[ShortRunJob]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class RobustAggregationBenchmarks
{
    private const int Clients = 50;
    private const int Byzantine = 10;
    private const int Length = 1_000_000;

    private readonly float[] _destination = new float[Length];
    private float[][] _rows = [];
    private WeightedUpdate[] _updates = [];
    private KrumAggregator _multiKrum = null!;
    private CoordinateMedian _median = null!;
    private TrimmedMeanAggregator _trimmedMean = null!;
    private GeometricMedianAggregator _geometricMedian = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new DeterministicRandom(2026);
        float[] direction = new float[Length];
        for (int j = 0; j < Length; j++)
        {
            direction[j] = (float)(0.01 * random.NextGaussian());
        }

        _rows = new float[Clients][];
        for (int i = 0; i < Clients; i++)
        {
            double step = (i < Byzantine ? -1 : 1) * (1 + (0.2 * random.NextGaussian()));
            float[] row = new float[Length];
            for (int j = 0; j < Length; j++)
            {
                row[j] = (float)((step * direction[j]) + (0.01 * random.NextGaussian()));
            }

            _rows[i] = row;
        }

        _updates = _rows.Select((row, i) => new WeightedUpdate($"client{i:D2}", row, 1)).ToArray();
        _multiKrum = new KrumAggregator(new KrumOptions { ByzantineCount = Byzantine });
        _median = new CoordinateMedian();
        _trimmedMean = new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = Byzantine });
        _geometricMedian = new GeometricMedianAggregator();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("MultiKrum")]
    public void MultiKrumNaive() => NaiveAggregators.MultiKrum(_rows, Byzantine, Clients - Byzantine, _destination);

    [Benchmark, BenchmarkCategory("MultiKrum")]
    public AggregationResult MultiKrum() => _multiKrum.Aggregate(_updates, _destination);

    [Benchmark(Baseline = true), BenchmarkCategory("Median")]
    public void MedianNaive() => NaiveAggregators.Median(_rows, _destination);

    [Benchmark, BenchmarkCategory("Median")]
    public AggregationResult Median() => _median.Aggregate(_updates, _destination);

    [Benchmark(Baseline = true), BenchmarkCategory("TrimmedMean")]
    public void TrimmedMeanNaive() => NaiveAggregators.TrimmedMean(_rows, Byzantine, _destination);

    [Benchmark, BenchmarkCategory("TrimmedMean")]
    public AggregationResult TrimmedMean() => _trimmedMean.Aggregate(_updates, _destination);

    [Benchmark(Baseline = true), BenchmarkCategory("GeometricMedian")]
    public int GeometricMedianNaive() =>
        NaiveAggregators.GeometricMedian(_rows, GeometricMedianDefaults.MaxIterations, GeometricMedianDefaults.Tolerance, GeometricMedianDefaults.Smoothing, _destination);

    [Benchmark, BenchmarkCategory("GeometricMedian")]
    public AggregationResult GeometricMedian() => _geometricMedian.Aggregate(_updates, _destination);
}
