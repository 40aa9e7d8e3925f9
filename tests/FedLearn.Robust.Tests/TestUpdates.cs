using NUnit.Framework;

namespace FedLearn.Robust.Tests;

/// <summary>Builders for test updates.</summary>
internal static class TestUpdates
{
    public static WeightedUpdate[] Random(DeterministicRandom random, int count, int length, double scale = 1)
    {
        return Enumerable.Range(0, count)
            .Select(i => new WeightedUpdate($"c{i:D3}", Vector(random, length, scale), 1 + random.NextInt(100)))
            .ToArray();
    }

    // Values from a small integer grid, so ties are common.
    public static WeightedUpdate[] WithTies(DeterministicRandom random, int count, int length)
    {
        return Enumerable.Range(0, count)
            .Select(i => new WeightedUpdate($"c{i:D3}", Enumerable.Range(0, length).Select(_ => (float)(random.NextInt(5) - 2)).ToArray(), 1))
            .ToArray();
    }

    public static float[] Vector(DeterministicRandom random, int length, double scale = 1) =>
        Enumerable.Range(0, length).Select(_ => (float)(scale * random.NextGaussian())).ToArray();

    public static WeightedUpdate[] Shuffled(WeightedUpdate[] updates, DeterministicRandom random)
    {
        WeightedUpdate[] copy = (WeightedUpdate[])updates.Clone();
        random.Shuffle(copy.AsSpan());
        return copy;
    }

    public static WeightedUpdate[] FromRows(params float[][] rows) =>
        rows.Select((row, i) => new WeightedUpdate($"c{i}", row, 1)).ToArray();

    public static float[] Run(IAggregator aggregator, IReadOnlyList<WeightedUpdate> updates, out AggregationResult result)
    {
        float[] destination = new float[updates[0].Values.Length];
        result = aggregator.Aggregate(updates, destination);
        return destination;
    }

    public static float[] Run(IAggregator aggregator, IReadOnlyList<WeightedUpdate> updates) => Run(aggregator, updates, out _);

    /// <summary>Asserts that shuffling the updates changes neither the vector (bit for bit) nor the scores or exclusions.</summary>
    public static void AssertOrderIndependent(Func<IAggregator> create, WeightedUpdate[] updates, DeterministicRandom random)
    {
        float[] inOrder = Run(create(), updates, out AggregationResult first);
        float[] shuffled = Run(create(), Shuffled(updates, random), out AggregationResult second);
        Assert.That(shuffled, Is.EqualTo(inOrder).AsCollection, "aggregate");
        Assert.That(second.Scores.OrderBy(s => s.ClientId, StringComparer.Ordinal), Is.EqualTo(first.Scores.OrderBy(s => s.ClientId, StringComparer.Ordinal)), "scores");
        Assert.That(second.Excluded.OrderBy(s => s.ClientId, StringComparer.Ordinal), Is.EqualTo(first.Excluded.OrderBy(s => s.ClientId, StringComparer.Ordinal)), "exclusions");
    }

    /// <summary>Asserts that n copies of one update aggregate to that update.</summary>
    public static void AssertIdenticalGiveSame(IAggregator aggregator, int count, float[] update, double tolerance = 0)
    {
        WeightedUpdate[] updates = Enumerable.Range(0, count).Select(i => new WeightedUpdate($"c{i}", update, 1 + i)).ToArray();
        float[] result = Run(aggregator, updates);
        for (int j = 0; j < update.Length; j++)
        {
            Assert.That(result[j], Is.EqualTo(update[j]).Within(tolerance * (1 + Math.Abs(update[j]))), $"index {j}");
        }
    }
}
