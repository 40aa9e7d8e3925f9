namespace FedLearn.Data;

/// <summary>Seeded train/test splits of a <see cref="DatasetView"/> (for example one client's partition). Stateless and thread-safe.</summary>
public static class TrainTestSplit
{
    /// <summary>The default share of records held out for testing: 0.2 (an 80/20 split).</summary>
    public const double DefaultTestFraction = 0.2;

    /// <summary>
    /// Splits <paramref name="view"/> at random into a train and a test view. The test view gets
    /// round(count × <paramref name="testFraction"/>) records, but when the fraction is positive and the view holds at
    /// least two records, each side gets at least one; a single record always goes to training. Both views list
    /// their dataset indices in ascending order.
    /// </summary>
    /// <param name="view">The records to split.</param>
    /// <param name="testFraction">Share of records held out, in [0, 1). Default <see cref="DefaultTestFraction"/>.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    /// <returns>Two disjoint views over the same dataset whose union is <paramref name="view"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="testFraction"/> is outside [0, 1).</exception>
    public static DatasetSplit Split(DatasetView view, double testFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(view);
        if (!(testFraction >= 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be in [0, 1).");
        }

        int count = view.Count;
        int testCount = (int)Math.Round(count * testFraction, MidpointRounding.AwayFromZero);
        if (testFraction > 0 && count >= 2)
        {
            testCount = Math.Clamp(testCount, 1, count - 1);
        }
        else if (count < 2)
        {
            testCount = 0;
        }

        int[] shuffled = view.Indices.ToArray();
        new DeterministicRandom(seed).Shuffle<int>(shuffled);
        int[] test = shuffled[..testCount];
        int[] train = shuffled[testCount..];
        Array.Sort(test);
        Array.Sort(train);
        return new DatasetSplit(new DatasetView(view.Dataset, train), new DatasetView(view.Dataset, test));
    }
}
