using NUnit.Framework;

namespace FedLearn.Core.Tests.Optimizers;

internal static class OptimizerTestData
{
    public static float[] Vector(ulong seed, int length, double scale)
    {
        var random = new DeterministicRandom(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextGaussian() * scale);
        }

        return values;
    }

    public static int[] Bits(ReadOnlySpan<float> values)
    {
        int[] bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        }

        return bits;
    }

    /// <summary>
    /// Asserts that <paramref name="actual"/> matches the double reference to single-precision accuracy: within
    /// 1e-5 × (|expected| + <paramref name="scale"/>), where the scale covers cancellation in sums of terms of that size.
    /// </summary>
    public static void AssertClose(float[] actual, double[] expected, double scale, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length));
        for (int i = 0; i < actual.Length; i++)
        {
            // A handful of float roundings per step, each ≤ 2⁻²⁴ relative: 1e-5 is ample and still catches any formula
            // error (a wrong β, a missing τ or a wrong sign changes results by far more).
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(1e-5 * (Math.Abs(expected[i]) + scale)), $"{what}[{i}]");
        }
    }
}
