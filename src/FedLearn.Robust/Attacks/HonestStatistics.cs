namespace FedLearn.Robust.Attacks;

/// <summary>Per-coordinate mean and standard deviation of a list of updates (double accumulation, given order).</summary>
internal static class HonestStatistics
{
    /// <summary>The coordinate-wise mean.</summary>
    public static double[] Mean(IReadOnlyList<WeightedUpdate> updates, int length)
    {
        double[] mean = new double[length];
        foreach (WeightedUpdate update in updates)
        {
            ReadOnlySpan<float> x = update.Values.Span;
            for (int j = 0; j < length; j++)
            {
                mean[j] += x[j];
            }
        }

        for (int j = 0; j < length; j++)
        {
            mean[j] /= Math.Max(updates.Count, 1);
        }

        return mean;
    }

    /// <summary>The coordinate-wise sample standard deviation (divisor n − 1; 0 for fewer than two updates).</summary>
    public static double[] StandardDeviation(IReadOnlyList<WeightedUpdate> updates, double[] mean)
    {
        double[] spread = new double[mean.Length];
        if (updates.Count < 2)
        {
            return spread;
        }

        foreach (WeightedUpdate update in updates)
        {
            ReadOnlySpan<float> x = update.Values.Span;
            for (int j = 0; j < mean.Length; j++)
            {
                double d = x[j] - mean[j];
                spread[j] += d * d;
            }
        }

        for (int j = 0; j < mean.Length; j++)
        {
            spread[j] = Math.Sqrt(spread[j] / (updates.Count - 1));
        }

        return spread;
    }

    /// <summary>The same vector for every Byzantine client of the round.</summary>
    public static IReadOnlyList<WeightedUpdate> Broadcast(ByzantineRound round, ReadOnlySpan<double> values)
    {
        float[] vector = new float[values.Length];
        for (int j = 0; j < values.Length; j++)
        {
            vector[j] = (float)values[j];
        }

        return round.Byzantine.Select(u => new WeightedUpdate(u.ClientId, (float[])vector.Clone(), u.Weight)).ToArray();
    }
}
