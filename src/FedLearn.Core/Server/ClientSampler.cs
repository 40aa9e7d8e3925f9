namespace FedLearn.Server;

/// <summary>
/// Seeded client sampling: the same connected clients, seed, round and purpose always give the same sample, so
/// a resumed run samples exactly what a straight run would.
/// </summary>
public static class ClientSampler
{
    /// <summary>Purpose tag for training samples.</summary>
    public const int FitPurpose = 1;

    /// <summary>Purpose tag for evaluation samples.</summary>
    public const int EvaluatePurpose = 2;

    /// <summary>How many clients a stage samples: ⌈fraction·available⌉, at least <paramref name="minimum"/>, at most <paramref name="available"/>.</summary>
    public static int SampleSize(int available, double fraction, int minimum)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(available);
        int size = (int)Math.Ceiling(fraction * available);
        return Math.Min(available, Math.Max(minimum, size));
    }

    /// <summary>Samples <paramref name="count"/> of <paramref name="candidates"/> without replacement.</summary>
    /// <returns>The sample sorted by ordinal id, the order in which updates are aggregated.</returns>
    public static string[] Sample(IEnumerable<string> candidates, int count, ulong seed, int round, int purpose)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        string[] pool = candidates.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, pool.Length);

        // Partial Fisher–Yates: the first `count` positions become a uniform sample.
        var random = new DeterministicRandom(Seeds.Derive(seed, round, purpose));
        for (int i = 0; i < count; i++)
        {
            int j = i + random.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        string[] sample = pool[..count];
        Array.Sort(sample, StringComparer.Ordinal);
        return sample;
    }
}
