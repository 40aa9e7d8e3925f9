using FedLearn.Server;

namespace FedLearn.Robust.Attacks;

/// <summary>
/// Plays a fixed set of Byzantine clients inside a simulated federation. Every client of the simulation trains
/// honestly; the adversary replaces the Byzantine clients' updates with the attack's at the point where the server first
/// sees the round's decoded updates, so an omniscient attack (ALIE, IPM, mimic) sees the honest updates of the same round,
/// and screening and aggregation both see what the attackers send.
/// </summary>
/// <remarks>
/// <para><see cref="Install"/> wraps a pipeline's screener and aggregator: the screener wrapper crafts the round's
/// Byzantine updates and screens those, the aggregator wrapper substitutes them for the updates that survived screening.
/// The server calls the two once per round, screener first, so each round's crafted updates are used exactly once.
/// Label flipping poisons training data instead: give the Byzantine clients' trainers
/// <see cref="LabelFlipAttack.Flip"/>; the adversary then passes their updates on unchanged.</para>
/// <para>Thread-safe for a server that runs one round at a time.</para>
/// </remarks>
public sealed class SimulatedAdversary
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _byzantine;
    private Dictionary<string, WeightedUpdate>? _pending;

    /// <summary>Creates an adversary controlling <paramref name="byzantineIds"/>.</summary>
    /// <param name="attack">What the Byzantine clients send.</param>
    /// <param name="byzantineIds">The Byzantine clients (for example from <see cref="ByzantineSelection.Choose"/>).</param>
    /// <param name="seed">The run's seed, from which randomised attacks derive their streams.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SimulatedAdversary(IByzantineAttack attack, IEnumerable<string> byzantineIds, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(attack);
        ArgumentNullException.ThrowIfNull(byzantineIds);
        Attack = attack;
        _byzantine = new HashSet<string>(byzantineIds, StringComparer.Ordinal);
        ByzantineIds = _byzantine.Order(StringComparer.Ordinal).ToArray();
        Seed = seed;
    }

    /// <summary>The attack.</summary>
    public IByzantineAttack Attack { get; }

    /// <summary>The Byzantine clients, in client-id order.</summary>
    public IReadOnlyList<string> ByzantineIds { get; }

    /// <summary>The seed given to <see cref="ByzantineRound"/>.</summary>
    public ulong Seed { get; }

    /// <summary>Whether <paramref name="clientId"/> is Byzantine.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="clientId"/> is null.</exception>
    public bool IsByzantine(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return _byzantine.Contains(clientId);
    }

    /// <summary>
    /// The pipeline with its screener and aggregator wrapped so that the Byzantine clients' updates are the attack's.
    /// A pipeline without a screener gets one that flags nothing (it only crafts the attack).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="pipeline"/> is null.</exception>
    public ServerPipeline Install(ServerPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return pipeline with
        {
            Screener = new AdversaryScreener(this, pipeline.Screener),
            Aggregator = new AdversaryAggregator(this, pipeline.Aggregator),
        };
    }

    /// <summary>Crafts round <paramref name="round"/>'s Byzantine updates and keeps them for the aggregator; returns every update as sent.</summary>
    internal IReadOnlyList<WeightedUpdate> Craft(int round, IReadOnlyList<WeightedUpdate> updates)
    {
        IReadOnlyList<WeightedUpdate> sent = Attack.Apply(new ByzantineRound(round, updates, _byzantine, Seed));
        var crafted = sent.Where(u => _byzantine.Contains(u.ClientId)).ToDictionary(u => u.ClientId, StringComparer.Ordinal);
        lock (_gate)
        {
            _pending = crafted;
        }

        return sent;
    }

    /// <summary>
    /// <paramref name="updates"/> with each Byzantine client's update replaced by the one crafted in this round.
    /// </summary>
    /// <exception cref="InvalidOperationException">A Byzantine client's update arrives but nothing was crafted for it this round.</exception>
    internal IReadOnlyList<WeightedUpdate> Substitute(IReadOnlyList<WeightedUpdate> updates)
    {
        Dictionary<string, WeightedUpdate>? crafted;
        lock (_gate)
        {
            crafted = _pending;
            _pending = null;
        }

        var result = new WeightedUpdate[updates.Count];
        for (int i = 0; i < updates.Count; i++)
        {
            WeightedUpdate update = updates[i];
            if (!_byzantine.Contains(update.ClientId))
            {
                result[i] = update;
                continue;
            }

            result[i] = crafted is not null && crafted.TryGetValue(update.ClientId, out WeightedUpdate replacement)
                ? replacement
                : throw new InvalidOperationException($"The simulated adversary crafted no update for Byzantine client '{update.ClientId}' in this round; install it with SimulatedAdversary.Install so that screening runs first.");
        }

        return result;
    }
}
