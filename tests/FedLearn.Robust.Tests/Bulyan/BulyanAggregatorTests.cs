using FedLearn.Robust.Bulyan;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Bulyan;

public sealed class BulyanAggregatorTests
{
    [Test]
    public void Fewer_than_4f_plus_3_updates_is_an_error_naming_the_bound()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(1), 10, 5);

        Assert.That(
            () => TestUpdates.Run(new BulyanAggregator(new BulyanOptions { ByzantineCount = 2 }), updates),
            Throws.ArgumentException.With.Message.EqualTo("Aggregator 'bulyan:2' tolerates f = 2 Byzantine clients only with n ≥ 4f + 3, i.e. at least 11 updates, but got 10. (Parameter 'updates')"));
    }

    [Test]
    public void Outliers_are_left_out_and_the_result_stays_with_the_honest_cluster()
    {
        var random = new DeterministicRandom(4);
        WeightedUpdate[] honest = TestUpdates.Random(random, 9, 40, 0.1);
        WeightedUpdate[] all = [.. honest, new("evil1", Enumerable.Repeat(30f, 40).ToArray(), 1), new("evil2", Enumerable.Repeat(-30f, 40).ToArray(), 1)];

        float[] result = TestUpdates.Run(new BulyanAggregator(new BulyanOptions { ByzantineCount = 2 }), all, out AggregationResult info);

        Assert.That(info.Excluded.Select(e => e.ClientId), Does.Contain("evil1").And.Contain("evil2"));
        Assert.That(info.Excluded, Has.Count.EqualTo(4), "θ = n − 2f = 7 of 11 are selected");
        Assert.That(result.Max(Math.Abs), Is.LessThan(0.5f));
    }

    [FsCheck.NUnit.Property(MaxTest = 30)]
    public void Result_does_not_depend_on_client_order(PositiveInt extra, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        int f = random.NextInt(3);
        WeightedUpdate[] updates = TestUpdates.Random(random, (4 * f) + 3 + (extra.Get % 5), length.Get % 700);
        TestUpdates.AssertOrderIndependent(() => new BulyanAggregator(new BulyanOptions { ByzantineCount = f }), updates, random);
    }

    [Test]
    public void Identical_updates_return_that_update() =>
        TestUpdates.AssertIdenticalGiveSame(new BulyanAggregator(new BulyanOptions { ByzantineCount = 1 }), 8, TestUpdates.Vector(new DeterministicRandom(5), 300), 1e-6);
}
