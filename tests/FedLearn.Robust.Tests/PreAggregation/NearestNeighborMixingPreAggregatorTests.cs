using FedLearn.Robust.Median;
using FedLearn.Robust.PreAggregation;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.PreAggregation;

public sealed class NearestNeighborMixingPreAggregatorTests
{
    [Test]
    public void Each_update_becomes_the_mean_of_its_n_minus_f_nearest_itself_included()
    {
        // Points 0, 1, 3, 10 on a line; n = 4, f = 1 → each is mixed with itself and its 2 nearest.
        WeightedUpdate[] updates = TestUpdates.FromRows([0f], [1f], [3f], [10f]);
        var inner = new CapturingAggregator();

        TestUpdates.Run(new NearestNeighborMixingPreAggregator(inner, new NearestNeighborMixingOptions { ByzantineCount = 1 }), updates);

        Assert.That(inner.Seen["c0"][0], Is.EqualTo((0f + 1f + 3f) / 3).Within(1e-6));
        Assert.That(inner.Seen["c1"][0], Is.EqualTo((0f + 1f + 3f) / 3).Within(1e-6));
        Assert.That(inner.Seen["c2"][0], Is.EqualTo((0f + 1f + 3f) / 3).Within(1e-6));
        Assert.That(inner.Seen["c3"][0], Is.EqualTo((1f + 3f + 10f) / 3).Within(1e-6));
    }

    [FsCheck.NUnit.Property(MaxTest = 30)]
    public void Result_does_not_depend_on_client_order(PositiveInt clients, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        WeightedUpdate[] updates = TestUpdates.Random(random, 3 + (clients.Get % 15), length.Get % 1500);
        TestUpdates.AssertOrderIndependent(() => new NearestNeighborMixingPreAggregator(new CoordinateMedian(), new NearestNeighborMixingOptions { ByzantineCount = 1 }), updates, random);
    }
}
