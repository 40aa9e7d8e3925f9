using FedLearn.Privacy.Mechanisms;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Mechanisms;

public sealed class L2ClippingTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public bool The_clipped_norm_never_exceeds_C(NormalFloat[] raw, PositiveInt scaleExponent, PositiveInt clipMantissa)
    {
        // Values spread over many magnitudes and clipping norms from 1e−3 to 1e3, so that the float rounding of the
        // scaled vector is exercised.
        float[] values = raw.Select(v => (float)v.Get * MathF.Pow(10, (scaleExponent.Get % 9) - 4)).Where(float.IsFinite).ToArray();
        double maxNorm = (1 + (clipMantissa.Get % 997)) * 1e-3 * Math.Pow(10, clipMantissa.Get % 4);

        L2Clipping.ClipInPlace(values, maxNorm);

        return L2Clipping.Norm(values) <= maxNorm;
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Clipping_keeps_the_direction_and_leaves_short_vectors_alone(NormalFloat[] raw)
    {
        float[] values = raw.Select(v => (float)v.Get).Where(float.IsFinite).ToArray();
        float[] original = (float[])values.Clone();
        double norm = L2Clipping.Norm(values);
        double maxNorm = 1.0;

        double reported = L2Clipping.ClipInPlace(values, maxNorm);

        if (norm <= maxNorm)
        {
            return reported == norm && values.SequenceEqual(original);
        }

        // Every coordinate is scaled by the same factor C/‖x‖ (up to float rounding and the final ulp shrink).
        double factor = maxNorm / norm;
        return reported == norm && values.Zip(original).All(p => Math.Abs(p.First - (p.Second * factor)) <= 1e-6 * Math.Abs(p.Second * factor) + 1e-30);
    }

    [Test]
    public void Clips_a_known_vector_to_the_norm()
    {
        float[] values = [3f, 4f];

        double norm = L2Clipping.ClipInPlace(values, 1.0);

        Assert.That(norm, Is.EqualTo(5.0));
        Assert.That(values[0], Is.EqualTo(0.6f).Within(1e-6f));
        Assert.That(values[1], Is.EqualTo(0.8f).Within(1e-6f));
        Assert.That(L2Clipping.Norm(values), Is.LessThanOrEqualTo(1.0));
        Assert.That(L2Clipping.ClipInPlace(Span<float>.Empty, 1.0), Is.Zero);
    }

    [Test]
    public void Rejects_non_finite_values_and_bad_norms()
    {
        Assert.That(() => L2Clipping.ClipInPlace(new[] { 1f, float.NaN }, 1.0), Throws.ArgumentException.With.Message.Contains("index 1"));
        Assert.That(() => L2Clipping.ClipInPlace(new[] { 1f }, 0.0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("maxNorm"));
        Assert.That(() => L2Clipping.ClipInPlace(new[] { 1f }, double.PositiveInfinity), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_norm_matches_a_scalar_double_reference_for_every_length_up_to_300()
    {
        var random = new DeterministicRandom(12);
        for (int length = 0; length <= 300; length++)
        {
            float[] values = [.. Enumerable.Range(0, length).Select(_ => (float)(random.NextGaussian() * 3))];
            double reference = Math.Sqrt(values.Sum(v => (double)v * v));

            Assert.That(L2Clipping.Norm(values), Is.EqualTo(reference).Within(1e-13).Percent, $"length {length}");
        }

        float[] withInfinity = new float[40];
        withInfinity[37] = float.PositiveInfinity;
        Assert.That(() => L2Clipping.Norm(withInfinity), Throws.ArgumentException.With.Message.Contains("index 37"));
    }
}
