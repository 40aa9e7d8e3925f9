using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.TopK;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.TopK;

public sealed class CandidateFilterTests
{
    [Test]
    public void Gather_matches_a_scalar_filter_of_the_sum_at_every_length_up_to_three_hundred()
    {
        for (int n = 0; n <= 300; n++)
        {
            float[] x = Chains.Gaussian(n, (ulong)n);
            float[] y = Chains.Gaussian(n, (ulong)n + 1000, 0.3);
            foreach (float[] second in new[] { y, [] })
            {
                float[] sum = second.Length == 0 ? x : x.Zip(second, (a, b) => a + b).ToArray();
                int[] expected = Enumerable.Range(0, n).Where(i => Math.Abs(sum[i]) >= 0.8f).ToArray();
                int[] positions = new int[n + 8];
                float[] values = new float[n + 8];
                int count = CandidateFilter.Gather(x, second, 0.8f, 1.5f, positions, values, n, out int above, out bool finite);
                Assert.That(count, Is.EqualTo(expected.Length), $"n={n}");
                Assert.That(positions.Take(count), Is.EqualTo(expected), $"n={n}");
                Assert.That(values.Take(count), Is.EqualTo(expected.Select(i => sum[i])), $"n={n}");
                Assert.That(above, Is.EqualTo(sum.Count(v => Math.Abs(v) >= 1.5f)), $"n={n}");
                Assert.That(finite, Is.True);
            }
        }
    }

    [Test]
    public void Gather_reports_more_candidates_than_the_capacity()
    {
        float[] x = Enumerable.Range(0, 100).Select(i => (float)i).ToArray();
        int count = CandidateFilter.Gather(x, [], 50, 90, new int[13], new float[13], 5, out _, out _);
        Assert.That(count, Is.GreaterThan(5));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void Gather_reports_a_non_finite_value_in_the_vector_body_or_the_tail(float bad)
    {
        foreach (int position in new[] { 3, 64, 98 })
        {
            float[] x = Chains.Gaussian(99, 1);
            x[position] = bad;
            CandidateFilter.Gather(x, [], 1, 2, new int[107], new float[107], 99, out _, out bool finite);
            Assert.That(finite, Is.False, $"position {position}");
        }
    }

    [Test]
    public void Emit_keeps_the_first_ties_in_position_order_when_told_how_many()
    {
        int[] positions = [2, 5, 7, 9, 11];
        float[] values = [3, -2, 2, 5, 2];
        int[] indices = new int[3];
        float[] kept = new float[3];
        CandidateFilter.Emit(positions, values, 2, ties: 1, indices, kept);
        Assert.That(indices, Is.EqualTo(new[] { 2, 5, 9 }));
        Assert.That(kept, Is.EqualTo(new float[] { 3, -2, 5 }));
    }

    [Test]
    public void Emit_keeps_everything_at_or_above_the_threshold_across_vector_blocks()
    {
        float[] values = Chains.Gaussian(1000, 8);
        int[] positions = Enumerable.Range(0, 1000).Select(i => 3 * i).ToArray();
        int[] expected = Enumerable.Range(0, 1000).Where(i => Math.Abs(values[i]) >= 0.5f).ToArray();
        int[] indices = new int[expected.Length];
        float[] kept = new float[expected.Length];
        CandidateFilter.Emit(positions, values, 0.5f, ties: null, indices, kept);
        Assert.That(indices, Is.EqualTo(expected.Select(i => 3 * i)));
        Assert.That(kept, Is.EqualTo(expected.Select(i => values[i])));
    }
}
