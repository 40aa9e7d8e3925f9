using FedLearn.Compression.Quantization;
using FedLearn.Compression.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Quantization;

public sealed class QuantizerTests
{
    private static readonly int[] BitWidths = [1, 2, 3, 4, 7, 8, 12, 16, 24, 31, 32];

    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 60)]
    public Property MinMax_error_is_within_the_stated_bound(TestVector vector)
    {
        return BitWidths.SelectMany(bits => new[] { QuantizationRounding.Nearest, QuantizationRounding.Stochastic }.Select(r => (bits, r)))
            .All(c => WithinMinMaxBound(vector.Values, new QuantizerSpec(QuantizationScheme.MinMax, c.bits, c.r, 64)))
            .Label(vector.ToString());
    }

    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 60)]
    public Property Norm_error_is_within_the_stated_bound(TestVector vector)
    {
        return BitWidths.Where(b => b >= 2).SelectMany(bits => new[] { QuantizationRounding.Nearest, QuantizationRounding.Stochastic }.Select(r => (bits, r)))
            .All(c => WithinNormBound(vector.Values, new QuantizerSpec(QuantizationScheme.Norm, c.bits, c.r, 64)))
            .Label(vector.ToString());
    }

    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 100)]
    public Property Scaled_sign_error_equals_norm_minus_l1_squared_over_d(TestVector vector)
    {
        var spec = new QuantizerSpec(QuantizationScheme.ScaledSign, 1, QuantizationRounding.Nearest, 64);
        float[] decoded = RoundTrip(vector.Values, spec, 1);
        bool ok = true;
        for (int start = 0; start < vector.Values.Length; start += spec.ChunkSize)
        {
            int length = Math.Min(spec.ChunkSize, vector.Values.Length - start);
            double squared = 0, l1 = 0, error = 0;
            for (int i = start; i < start + length; i++)
            {
                squared += (double)vector.Values[i] * vector.Values[i];
                l1 += Math.Abs((double)vector.Values[i]);
                error += Math.Pow((double)decoded[i] - vector.Values[i], 2);
            }

            // The scale travels as float32: with e its rounding error the identity gains d·e², e at most one ulp.
            double exactScale = l1 / length;
            float sent = Math.Abs(decoded[start]);
            double e = Math.Abs(sent - exactScale);
            ok &= e <= MathF.BitIncrement(sent) - sent;
            double expected = squared - (l1 * l1 / length) + (length * e * e);
            ok &= Math.Abs(error - expected) <= (1e-9 * squared) + (4 * length * e * e) + 1e-300;
        }

        return ok.Label(vector.ToString());
    }

    [Test]
    public void Stochastic_rounding_is_unbiased_and_nearest_rounding_is_not()
    {
        // Values placed between grid levels at known fractions; min and max pin the grid (Δ = 1/15 at 4 bits).
        float[] x = new float[66];
        x[0] = 0;
        x[1] = 1;
        for (int i = 2; i < x.Length; i++)
        {
            x[i] = (float)((((i - 2) % 15) + ((i * 0.37) % 1)) / 15.0);
        }

        const int trials = 4000;
        var spec = new QuantizerSpec(QuantizationScheme.MinMax, 4, QuantizationRounding.Stochastic, x.Length);
        double[] sums = new double[x.Length];
        for (ulong seed = 0; seed < trials; seed++)
        {
            float[] y = RoundTrip(x, spec, seed);
            for (int i = 0; i < x.Length; i++)
            {
                sums[i] += y[i];
            }
        }

        // Each draw takes one of two levels Δ apart, so its variance is at most Δ²/4 and the mean of `trials`
        // draws has standard deviation at most Δ/(2√trials). Five of those bound every coordinate together with
        // probability above 1 − 66·6e-7.
        double delta = 1 / 15.0;
        double tolerance = 5 * delta / (2 * Math.Sqrt(trials));
        double worstStochastic = Enumerable.Range(0, x.Length).Max(i => Math.Abs((sums[i] / trials) - x[i]));
        Assert.That(worstStochastic, Is.LessThan(tolerance));

        float[] nearest = RoundTrip(x, spec with { Rounding = QuantizationRounding.Nearest }, 0);
        double worstNearest = Enumerable.Range(0, x.Length).Max(i => Math.Abs(nearest[i] - x[i]));
        Assert.That(worstNearest, Is.GreaterThan(tolerance), "the control (deterministic rounding) must show the bias this test detects");
    }

    [Test]
    public void Qsgd_is_unbiased()
    {
        float[] x = Chains.Gaussian(40, 7);
        var spec = new QuantizerSpec(QuantizationScheme.Norm, 3, QuantizationRounding.Stochastic, 40);
        double norm = Math.Sqrt(x.Sum(v => (double)v * v));
        const int trials = 4000;
        double[] sums = new double[x.Length];
        for (ulong seed = 0; seed < trials; seed++)
        {
            float[] y = RoundTrip(x, spec, seed);
            for (int i = 0; i < x.Length; i++)
            {
                sums[i] += y[i];
            }
        }

        // Levels are norm/s apart (s = 3); same five-sigma argument as above.
        double tolerance = 5 * (norm / 3) / (2 * Math.Sqrt(trials));
        Assert.That(Enumerable.Range(0, x.Length).Max(i => Math.Abs((sums[i] / trials) - x[i])), Is.LessThan(tolerance));
    }

    [Test]
    public void Same_seed_gives_same_codes_and_another_seed_other_codes()
    {
        float[] x = Chains.Gaussian(500, 3);
        var spec = new QuantizerSpec(QuantizationScheme.MinMax, 4, QuantizationRounding.Stochastic, 128);
        float[] first = RoundTrip(x, spec, 5);
        float[] again = RoundTrip(x, spec, 5);
        float[] other = RoundTrip(x, spec, 6);
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void Norm_quantization_of_values_near_float_max_stays_finite()
    {
        float[] x = [float.MaxValue, float.MaxValue, -float.MaxValue];
        float[] y = RoundTrip(x, new QuantizerSpec(QuantizationScheme.Norm, 2, QuantizationRounding.Nearest, 3), 0);
        Assert.That(y, Has.All.Matches<float>(float.IsFinite));
    }

    internal static float[] RoundTrip(float[] x, QuantizerSpec spec, ulong seed)
    {
        uint[] codes = new uint[x.Length];
        double[] scales = new double[2 * spec.ChunkCount(x.Length)];
        Quantizer.Quantize(x, spec, StochasticNoise.StreamSeed(seed), codes, scales);
        Assert.That(codes, Has.All.LessThanOrEqualTo((uint)((1UL << spec.Bits) - 1)));
        float[] y = new float[x.Length];
        Quantizer.Dequantize(codes, spec, scales, y);
        return y;
    }

    private static bool WithinMinMaxBound(float[] x, QuantizerSpec spec)
    {
        float[] y = RoundTrip(x, spec, 9);
        for (int start = 0; start < x.Length; start += spec.ChunkSize)
        {
            int length = Math.Min(spec.ChunkSize, x.Length - start);
            float min = x.Skip(start).Take(length).Min();
            float max = x.Skip(start).Take(length).Max();
            double delta = ((double)max - min) / Quantizer.LevelCount(spec.Bits);
            double slack = (Math.Pow(2, -23) * Math.Max(Math.Abs(min), Math.Abs(max))) + float.Epsilon;
            double bound = (spec.Rounding == QuantizationRounding.Nearest ? delta / 2 : delta) + slack;
            for (int i = start; i < start + length; i++)
            {
                if (!float.IsFinite(y[i]) || Math.Abs((double)y[i] - x[i]) > bound)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool WithinNormBound(float[] x, QuantizerSpec spec)
    {
        float[] y = RoundTrip(x, spec, 9);
        double s = Quantizer.LevelCount(spec.Bits - 1);
        for (int start = 0; start < x.Length; start += spec.ChunkSize)
        {
            int length = Math.Min(spec.ChunkSize, x.Length - start);
            double norm = Math.Sqrt(x.Skip(start).Take(length).Sum(v => (double)v * v));
            double bound = (spec.Rounding == QuantizationRounding.Nearest ? norm / (2 * s) : norm / s) + (Math.Pow(2, -23) * norm) + float.Epsilon;
            for (int i = start; i < start + length; i++)
            {
                if (!float.IsFinite(y[i]) || Math.Abs((double)y[i] - x[i]) > bound)
                {
                    return false;
                }
            }
        }

        return true;
    }
}
