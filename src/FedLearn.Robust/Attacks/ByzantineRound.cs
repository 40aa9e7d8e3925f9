namespace FedLearn.Robust.Attacks;

/// <summary>
/// What an omniscient attacker sees in one round: every sampled client's honestly trained update (Byzantine clients
/// train honestly first), which of them are Byzantine, and a seed for randomised attacks.
/// </summary>
/// <remarks>Immutable; the vectors are read-only to attacks.</remarks>
public sealed class ByzantineRound
{
    /// <summary>Creates the view of one round.</summary>
    /// <param name="round">The round number.</param>
    /// <param name="updates">Every sampled client's honest update, in any order; ids must be distinct.</param>
    /// <param name="byzantineIds">The Byzantine clients; ids not among the updates are ignored.</param>
    /// <param name="seed">The run's seed; randomised attacks derive per-client streams from it, the round and the client id.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">Two updates share a client id.</exception>
    public ByzantineRound(int round, IReadOnlyList<WeightedUpdate> updates, IEnumerable<string> byzantineIds, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(byzantineIds);
        var byzantine = new HashSet<string>(byzantineIds, StringComparer.Ordinal);
        WeightedUpdate[] ordered = updates.OrderBy(u => u.ClientId, StringComparer.Ordinal).ToArray();
        for (int i = 1; i < ordered.Length; i++)
        {
            if (string.Equals(ordered[i].ClientId, ordered[i - 1].ClientId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Client '{ordered[i].ClientId}' has more than one update in round {round}.", nameof(updates));
            }
        }

        Round = round;
        Seed = seed;
        Updates = updates;
        Honest = ordered.Where(u => !byzantine.Contains(u.ClientId)).ToArray();
        Byzantine = ordered.Where(u => byzantine.Contains(u.ClientId)).ToArray();
    }

    /// <summary>The round number.</summary>
    public int Round { get; }

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; }

    /// <summary>Every update as given.</summary>
    public IReadOnlyList<WeightedUpdate> Updates { get; }

    /// <summary>The honest clients' updates, in client-id order.</summary>
    public IReadOnlyList<WeightedUpdate> Honest { get; }

    /// <summary>The Byzantine clients' own (honestly trained) updates, in client-id order.</summary>
    public IReadOnlyList<WeightedUpdate> Byzantine { get; }

    /// <summary>Total number of clients n in the round.</summary>
    public int Count => Updates.Count;

    /// <summary>Number of Byzantine clients f in the round.</summary>
    public int ByzantineCount => Byzantine.Count;

    /// <summary>The updates omniscient statistics are taken over: the honest ones, or all when every client is Byzantine.</summary>
    internal IReadOnlyList<WeightedUpdate> Reference => Honest.Count > 0 ? Honest : Byzantine;

    /// <summary>The length of the update vectors (0 when there are none).</summary>
    internal int Length => Updates.Count > 0 ? Updates[0].Values.Length : 0;
}
