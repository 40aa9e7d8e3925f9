using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using FedLearn;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Benchmarks.Privacy;

// The L2 norm behind clipping is accumulated in double (so that ‖clipped‖ ≤ C can be certified); this measures what
// that costs against TensorPrimitives' single-precision norm, and what the widening vector loop saves over a
// scalar double loop. Sizes: the softmax-regression model (7,850 parameters) and a 1M-parameter CNN.
[MemoryDiagnoser]
[MedianColumn]
public class NormBenchmarks
{
    private float[] _values = [];

    [Params(7_850, 1_000_000)]
    public int Length { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new DeterministicRandom(1);
        _values = [.. Enumerable.Range(0, Length).Select(_ => (float)random.NextGaussian())];
    }

    [Benchmark(Baseline = true)]
    public float SinglePrecisionTensorPrimitives() => TensorPrimitives.Norm(_values);

    [Benchmark]
    public double DoublePrecisionWidening() => L2Clipping.Norm(_values);

    [Benchmark]
    public double DoublePrecisionScalar()
    {
        double sum = 0;
        foreach (float v in _values)
        {
            sum += (double)v * v;
        }

        return Math.Sqrt(sum);
    }
}
