using FedLearn.Robust.Median;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Median;

public sealed class CoordinateMedianTests
{
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public void Matches_sorting_every_coordinate(PositiveInt clients, PositiveInt length, int seed, bool ties)
    {
        var random = new DeterministicRandom((ulong)seed);
        int n = 1 + (clients.Get % 40);
        WeightedUpdate[] updates = ties ? TestUpdates.WithTies(random, n, length.Get % 600) : TestUpdates.Random(random, n, length.Get % 600);

        float[] result = TestUpdates.Run(new CoordinateMedian(), updates);

        Assert.That(result, Is.EqualTo(NaiveReference.PerCoordinate(updates, NaiveReference.Median)).AsCollection);
    }

    [TestCase(127)]
    [TestCase(128)]
    [TestCase(129)]
    [TestCase(150)]
    public void Matches_sorting_on_both_sides_of_the_network_limit(int n)
    {
        var random = new DeterministicRandom((ulong)n);
        WeightedUpdate[] updates = TestUpdates.Random(random, n, 37);

        Assert.That(TestUpdates.Run(new CoordinateMedian(), updates), Is.EqualTo(NaiveReference.PerCoordinate(updates, NaiveReference.Median)).AsCollection);
    }

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public void Result_does_not_depend_on_client_order(PositiveInt clients, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        WeightedUpdate[] updates = TestUpdates.Random(random, 1 + (clients.Get % 30), length.Get % 700);
        TestUpdates.AssertOrderIndependent(() => new CoordinateMedian(), updates, random);
    }

    [Test]
    public void Identical_updates_return_that_update() =>
        TestUpdates.AssertIdenticalGiveSame(new CoordinateMedian(), 6, TestUpdates.Vector(new DeterministicRandom(5), 300));

    [Test]
    public void Scores_are_distances_to_the_median()
    {
        WeightedUpdate[] updates = TestUpdates.FromRows([0f, 0f], [1f, 1f], [4f, 5f]);

        TestUpdates.Run(new CoordinateMedian(), updates, out AggregationResult info);

        Assert.That(info.Scores.Select(s => s.Score), Is.EqualTo(new[] { Math.Sqrt(2), 0, 5 }).AsCollection.Within(1e-6));
        Assert.That(info.Excluded, Is.Empty);
    }
}
