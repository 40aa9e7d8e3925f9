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

    [Test]
    public void Gather_counts_beyond_a_full_destination()
    {
        float[] x = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        int[] destination = new int[5];
        Assert.That(TopKSelector.GatherAtLeast(x, 50, destination), Is.EqualTo(50));
        Assert.That(destination, Is.EqualTo(new[] { 50, 51, 52, 53, 54 }));
    }

    private static int[] Select(float[] x, int k, bool sampled)
    {
        int[] indices = new int[k];
        TopKSelector.Select(x, k, indices, 17, sampled);
        return indices;
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
