namespace FedLearn.Robust.Attacks;

/// <summary>Chooses which clients of a federation are Byzantine.</summary>
public static class ByzantineSelection
{
    /// <summary>
    /// ⌊fraction·n⌋ of <paramref name="clientIds"/>, chosen uniformly by a generator seeded with <paramref name="seed"/>,
    /// returned in client-id order. The choice does not depend on the order of the ids.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="clientIds"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in [0, 1).</exception>
    public static IReadOnlyList<string> Choose(IEnumerable<string> clientIds, double fraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The Byzantine fraction must be in [0, 1).");
        }

        string[] ids = clientIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        int count = (int)Math.Floor((fraction * ids.Length) + 1e-9);
        new DeterministicRandom(Seeds.Derive(seed, "byzantine")).Shuffle(ids.AsSpan());
        return ids.Take(count).Order(StringComparer.Ordinal).ToArray();
    }
}
