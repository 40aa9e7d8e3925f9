using FedLearn.Robust.TrimmedMean;
using FsCheck;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.TrimmedMean;

public sealed class TrimmedMeanAggregatorTests
{
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public void Matches_sorting_every_coordinate(PositiveInt clients, PositiveInt length, int seed, bool ties)
    {
        var random = new DeterministicRandom((ulong)seed);
        int n = 1 + (clients.Get % 40);
        int f = random.NextInt(((n - 1) / 2) + 1);
        WeightedUpdate[] updates = ties ? TestUpdates.WithTies(random, n, length.Get % 600) : TestUpdates.Random(random, n, length.Get % 600);

        float[] result = TestUpdates.Run(new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = f }), updates);

        float[] expected = NaiveReference.PerCoordinate(updates, sorted => NaiveReference.TrimmedMean(sorted, f));
        Assert.That(result, Is.EqualTo(expected).AsCollection.Within(1e-6));
    }

    [TestCase(128, 40)]
    [TestCase(140, 40)]
    public void Matches_sorting_on_both_sides_of_the_network_limit(int n, int f)
    {
        var random = new DeterministicRandom((ulong)n);
        WeightedUpdate[] updates = TestUpdates.Random(random, n, 37);

        float[] expected = NaiveReference.PerCoordinate(updates, sorted => NaiveReference.TrimmedMean(sorted, f));
        Assert.That(TestUpdates.Run(new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = f }), updates), Is.EqualTo(expected).AsCollection.Within(1e-6));
    }

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public void Result_does_not_depend_on_client_order(PositiveInt clients, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        int n = 3 + (clients.Get % 30);
        WeightedUpdate[] updates = TestUpdates.Random(random, n, length.Get % 700);
        TestUpdates.AssertOrderIndependent(() => new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = 1 }), updates, random);
    }

    [Test]
    public void Identical_updates_return_that_update() =>
        TestUpdates.AssertIdenticalGiveSame(new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = 2 }), 7, TestUpdates.Vector(new DeterministicRandom(5), 300));

    [Test]
    public void A_fraction_trims_floor_of_fraction_times_n()
    {
        // n = 10, β = 0.25 → f = 2: drops 0, 1 and 8, 100 → mean of 2..7.
        WeightedUpdate[] updates = TestUpdates.FromRows([0f], [1f], [2f], [3f], [4f], [5f], [6f], [7f], [8f], [100f]);

        float[] result = TestUpdates.Run(new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimFraction = 0.25 }), updates);

        Assert.That(result[0], Is.EqualTo(4.5f));
    }

    [Test]
    public void Trimming_half_or_more_is_an_error_naming_the_bound()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(1), 4, 3);
        Assert.That(
            () => TestUpdates.Run(new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = 2 }), updates),
            Throws.ArgumentException.With.Message.Contains("n > 2f").And.Message.Contains("f = 2"));
    }

    [Test]
    public void Count_and_fraction_together_are_rejected()
    {
        Assert.That(
            () => new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = 1, TrimFraction = 0.6 }),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Set exactly one of TrimCount and TrimFraction").And.Message.Contains("TrimFraction"));
    }
}
