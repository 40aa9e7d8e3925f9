using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.TopK;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.TopK;

public sealed class TopKSelectorTests
{
    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 200)]
    public Property Keeps_exactly_the_k_largest_magnitudes_in_ascending_position_order(TestVector vector, int kSeed)
    {
        int n = vector.Values.Length;
        int k = n == 0 ? 0 : (int)((uint)kSeed % (uint)(n + 1));
        return (IsTopK(vector.Values, k, sampled: false) && IsTopK(vector.Values, k, sampled: true)).Label($"k={k} {vector}");
    }

    [Test]
    public void The_sampled_filter_gives_the_exact_selection_on_large_vectors([Values(1, 100, 10_000, 60_000)] int k)
    {
        float[] x = Chains.Gaussian(300_000, (ulong)k);
        int[] exact = Select(x, k, sampled: false);
        int[] sampled = Select(x, k, sampled: true);
        Assert.That(sampled, Is.EqualTo(exact));
    }

    [Test]
    public void Ties_at_the_threshold_go_to_the_lowest_positions()
    {
        float[] x = [1, -3, 3, 2, 3, -3, 0];
        Assert.That(Select(x, 3, sampled: false), Is.EqualTo(new[] { 1, 2, 4 }));
    }

    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 200)]
    public Property Selecting_from_a_sum_equals_selecting_from_the_stored_sum(TestVector vector, int kSeed, int residualSeed)
    {
        float[] x = vector.Values;
        int n = x.Length;
        int k = n == 0 ? 0 : (int)((uint)kSeed % (uint)(n + 1));
        float[] y = VectorArbitraries.Make("gaussian", n, (ulong)(uint)residualSeed).Values;
        float[] sum = x.Zip(y, (a, b) => a + b).ToArray();
        if (!sum.All(float.IsFinite))
        {
            return (!SelectsSum(x, y, k, sampled: true, out _, out _) && !SelectsSum(x, y, k, sampled: false, out _, out _)).Label("non-finite sums must be reported");
        }

        int[] expected = Select(sum, k, sampled: false);
        bool ok = true;
        foreach (bool sampled in new[] { false, true })
        {
            ok &= SelectsSum(x, y, k, sampled, out int[] indices, out float[] kept)
                && indices.SequenceEqual(expected) && kept.SequenceEqual(expected.Select(i => sum[i]));
        }

        return ok.Label($"k={k} {vector}");
    }

    [Test]
    public void The_sampled_filter_selects_exactly_from_update_plus_residual_at_ten_percent()
    {
        float[] x = Chains.Gaussian(400_000, 3);
        float[] y = Chains.Gaussian(400_000, 4, 0.5);
        float[] sum = x.Zip(y, (a, b) => a + b).ToArray();
        Assert.That(SelectsSum(x, y, 40_000, sampled: true, out int[] indices, out float[] kept), Is.True);
        Assert.That(indices, Is.EqualTo(Select(sum, 40_000, sampled: false)));
        Assert.That(kept, Is.EqualTo(indices.Select(i => sum[i]).ToArray()));
    }

    [Test]
    public void A_sum_that_overflows_is_reported_as_not_finite([Values(false, true)] bool sampled)
    {
        float[] x = Chains.Gaussian(300_000, 5);
        float[] y = new float[x.Length];
        x[123_457] = float.MaxValue;
        y[123_457] = float.MaxValue;
        Assert.That(SelectsSum(x, y, 3000, sampled, out _, out _), Is.False);
    }

    [Test]
    public void Non_finite_values_are_rejected_by_the_plain_selection()
    {
        float[] x = Chains.Gaussian(1000, 6);
        x[10] = float.NaN;
        Assert.Throws<ArgumentException>(() => TopKSelector.Select(x, 10, new int[10], 1));
    }

    private static int[] Select(float[] x, int k, bool sampled)
    {
        int[] indices = new int[k];
        TopKSelector.Select(x, k, indices, 17, sampled);
        return indices;
    }

    private static bool SelectsSum(float[] x, float[] y, int k, bool sampled, out int[] indices, out float[] kept)
    {
        indices = new int[k];
        kept = new float[k];
        return TopKSelector.SelectSum(x, y, k, indices, kept, 23, sampled);
    }

    private static bool IsTopK(float[] x, int k, bool sampled)
    {
        int[] indices = Select(x, k, sampled);
        bool ascending = indices.Zip(indices.Skip(1)).All(p => p.First < p.Second);
        float[] keptMagnitudes = indices.Select(i => Math.Abs(x[i])).Order().ToArray();
        float[] expected = x.Select(Math.Abs).OrderDescending().Take(k).Order().ToArray();
        return ascending && keptMagnitudes.SequenceEqual(expected) && indices.All(i => i >= 0 && i < x.Length);
    }
}
