using FedLearn.Robust.Kernels;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Kernels;

public sealed class GramMatrixTests
{
    [TestCase(0)]
    [TestCase(1)]
    [TestCase(1023)]
    [TestCase(1025)]
    [TestCase(3000)]
    public void Blocked_distances_match_a_direct_double_precision_sum(int length)
    {
        var random = new DeterministicRandom(7);
        // An offset far larger than the spread: the centring keeps the small distances accurate.
        WeightedUpdate[] updates = Enumerable.Range(0, 6)
            .Select(i => new WeightedUpdate($"c{i}", TestUpdates.Vector(random, length).Select(v => v + 100f).ToArray(), 1))
            .ToArray();

        double[] distances = GramMatrix.PairwiseSquaredDistances(updates.Select(u => u.Values).ToArray(), length);

        for (int a = 0; a < updates.Length; a++)
        {
            for (int b = 0; b < updates.Length; b++)
            {
                double expected = 0;
                for (int j = 0; j < length; j++)
                {
                    double d = (double)updates[a].Values.Span[j] - updates[b].Values.Span[j];
                    expected += d * d;
                }

                Assert.That(distances[(a * 6) + b], Is.EqualTo(expected).Within((1e-5 * expected) + 1e-9), $"pair {a},{b}");
            }
        }
    }
}
