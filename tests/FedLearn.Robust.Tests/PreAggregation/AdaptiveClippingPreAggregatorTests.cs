using FedLearn.Robust.PreAggregation;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.PreAggregation;

public sealed class AdaptiveClippingPreAggregatorTests
{
    [TestCase(10, 2, 3)]
    [TestCase(10, 0, 0)]
    [TestCase(20, 6, 8)]
    [TestCase(5, 2, 2)]
    public void Clipped_count_is_floor_of_2_f_over_n_times_n_minus_f(int n, int f, int expected) =>
        Assert.That(AdaptiveClippingPreAggregator.ClippedCount(n, f), Is.EqualTo(expected));

    [Test]
    public void The_k_largest_norms_are_clipped_to_the_next_largest()
    {
        // Norms 1..10 along the first axis; n = 10, f = 2 → k = 3: norms 10, 9, 8 become 7.
        WeightedUpdate[] updates = Enumerable.Range(1, 10).Select(i => new WeightedUpdate($"c{i:D2}", new[] { (float)i, 0f }, 1)).ToArray();
        var inner = new CapturingAggregator();

        TestUpdates.Run(new AdaptiveClippingPreAggregator(inner, new AdaptiveClippingOptions { ByzantineCount = 2 }), updates);

        float[] norms = inner.Seen.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Value[0]).ToArray();
        Assert.That(norms, Is.EqualTo(new[] { 1f, 2f, 3f, 4f, 5f, 6f, 7f, 7f, 7f, 7f }).AsCollection.Within(1e-5));
    }

    [Test]
    public void Half_or_more_byzantine_is_rejected()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(1), 4, 3);
        Assert.That(
            () => TestUpdates.Run(new AdaptiveClippingPreAggregator(new CapturingAggregator(), new AdaptiveClippingOptions { ByzantineCount = 2 }), updates),
            Throws.ArgumentException.With.Message.Contains("n > 2f"));
    }
}
