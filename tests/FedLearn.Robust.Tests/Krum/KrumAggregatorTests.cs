using FedLearn.Robust.Krum;
using FsCheck;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Krum;

public sealed class KrumAggregatorTests
{
    [FsCheck.NUnit.Property(MaxTest = 50)]
    public void Result_scores_and_exclusions_do_not_depend_on_client_order(PositiveInt extra, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        int f = random.NextInt(3);
        int n = (2 * f) + 3 + (extra.Get % 8);
        WeightedUpdate[] updates = TestUpdates.Random(random, n, length.Get % 2100);
        int m = 1 + random.NextInt(n);
        TestUpdates.AssertOrderIndependent(() => new KrumAggregator(new KrumOptions { ByzantineCount = f, SelectionCount = m }), updates, random);
    }

    [Test]
    public void Identical_updates_return_that_update()
    {
        float[] update = TestUpdates.Vector(new DeterministicRandom(3), 500);
        TestUpdates.AssertIdenticalGiveSame(new KrumAggregator(new KrumOptions { ByzantineCount = 2 }), 9, update);
        TestUpdates.AssertIdenticalGiveSame(new KrumAggregator(new KrumOptions { ByzantineCount = 2, SelectionCount = 1 }), 9, update);
    }

    [Test]
    public void Krum_picks_the_update_closest_to_its_neighbours()
    {
        // Four clustered points on a line, one far away; f = 1, n = 5 → each score sums the 2 smallest squared distances.
        WeightedUpdate[] updates = TestUpdates.FromRows([0f, 0f], [1f, 0f], [2f, 0f], [3.5f, 0f], [100f, 0f]);
        // Scores: c0: 1 + 4 = 5; c1: 1 + 1 = 2; c2: 1 + 2.25 = 3.25; c3: 2.25 + 6.25 = 8.5; c4: 96.5² + 98² = 18916.25.
        float[] result = TestUpdates.Run(new KrumAggregator(new KrumOptions { ByzantineCount = 1, SelectionCount = 1 }), updates, out AggregationResult info);

        Assert.That(result, Is.EqualTo(new[] { 1f, 0f }).AsCollection);
        double[] scores = info.Scores.OrderBy(s => s.ClientId, StringComparer.Ordinal).Select(s => s.Score).ToArray();
        Assert.That(scores, Is.EqualTo(new[] { 5, 2, 3.25, 8.5, 18916.25 }).AsCollection.Within(1e-3));
        Assert.That(info.Excluded.Select(e => e.ClientId), Is.EquivalentTo(new[] { "c0", "c2", "c3", "c4" }));
    }

    [Test]
    public void Multi_krum_averages_the_m_lowest_scores()
    {
        WeightedUpdate[] updates = TestUpdates.FromRows([0f, 0f], [1f, 0f], [2f, 0f], [3.5f, 0f], [100f, 0f]);
        float[] result = TestUpdates.Run(new KrumAggregator(new KrumOptions { ByzantineCount = 1, SelectionCount = 3 }), updates, out AggregationResult info);

        // The three lowest scores are c1 (2), c2 (3.25), c0 (5).
        Assert.That(result, Is.EqualTo(new[] { 1f, 0f }).AsCollection);
        Assert.That(info.Excluded.Select(e => e.ClientId), Is.EquivalentTo(new[] { "c3", "c4" }));
        Assert.That(info.Excluded.Single(e => e.ClientId == "c4").Reason, Does.Contain("ranks 5 of 5"));
    }

    [Test]
    public void Multi_krum_default_keeps_n_minus_f_and_drops_the_outliers()
    {
        var random = new DeterministicRandom(11);
        WeightedUpdate[] honest = TestUpdates.Random(random, 8, 50, 0.1);
        WeightedUpdate[] all = [.. honest, new("evil1", Enumerable.Repeat(50f, 50).ToArray(), 1), new("evil2", Enumerable.Repeat(-50f, 50).ToArray(), 1)];

        TestUpdates.Run(new KrumAggregator(new KrumOptions { ByzantineCount = 2 }), all, out AggregationResult info);

        Assert.That(info.Excluded.Select(e => e.ClientId), Is.EquivalentTo(new[] { "evil1", "evil2" }));
    }

    [Test]
    public void Too_few_updates_for_f_is_an_error_that_states_the_bound()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(1), 6, 4);
        var krum = new KrumAggregator(new KrumOptions { ByzantineCount = 2 });

        Assert.That(() => TestUpdates.Run(krum, updates), Throws.ArgumentException.With.Message.Contains("n > 2f + 2").And.Message.Contains("at least 7 updates, but got 6"));
    }

    [Test]
    public void Negative_f_and_zero_m_are_rejected_together()
    {
        Assert.That(
            () => new KrumAggregator(new KrumOptions { ByzantineCount = -1, SelectionCount = 0 }),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("KrumOptions.ByzantineCount").And.Message.Contains("KrumOptions.SelectionCount"));
    }

    [Test]
    public void Non_finite_updates_are_rejected_before_the_math()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(1), 6, 4);
        updates[3] = updates[3] with { Values = new[] { 1f, float.NaN, 0f, 0f } };

        Assert.That(() => TestUpdates.Run(new KrumAggregator(new KrumOptions()), updates), Throws.ArgumentException.With.Message.Contains("'c003'").And.Message.Contains("index 1"));
    }
}
