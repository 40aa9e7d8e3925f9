using FedLearn.Options;
using FedLearn.Server;

namespace FedLearn.Robust.Screening;

/// <summary>
/// The flag history of every client across rounds, and the eligibility rule built on it: a client flagged in at least
/// <see cref="ClientReputationOptions.MaxFlags"/> of the last <see cref="ClientReputationOptions.Window"/> rounds is
/// not sampled. A client that sits out is not flagged, so it becomes eligible again once its flags age out of the window.
/// </summary>
/// <remarks>Thread-safe. Give it to <see cref="UpdateScreener"/> to record every round, and to the server as its <see cref="IClientEligibility"/>.</remarks>
public sealed class ClientReputation : IClientEligibility
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedSet<int>> _flaggedRounds = new(StringComparer.Ordinal);
    private readonly int _window;
    private readonly int _maxFlags;

    /// <summary>Creates an empty history with default settings.</summary>
    public ClientReputation()
        : this(new ClientReputationOptions())
    {
    }

    /// <summary>Creates an empty history.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public ClientReputation(ClientReputationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(ClientReputationOptions));
        _window = options.Window;
        _maxFlags = options.MaxFlags;
    }

    /// <summary>How many past rounds count.</summary>
    public int Window => _window;

    /// <summary>The number of rounds among round − Window … round − 1 in which <paramref name="clientId"/> was flagged.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="clientId"/> is null.</exception>
    public int CountFlagsBefore(string clientId, int round)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        lock (_gate)
        {
            return _flaggedRounds.TryGetValue(clientId, out SortedSet<int>? rounds) ? rounds.GetViewBetween(round - _window, round - 1).Count : 0;
        }
    }

    /// <summary>Records that the clients in <paramref name="flags"/> were flagged in <paramref name="round"/> (once per client and round).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="flags"/> is null.</exception>
    public void Record(int round, IEnumerable<ClientFlag> flags)
    {
        ArgumentNullException.ThrowIfNull(flags);
        lock (_gate)
        {
            foreach (ClientFlag flag in flags)
            {
                if (!_flaggedRounds.TryGetValue(flag.ClientId, out SortedSet<int>? rounds))
                {
                    rounds = [];
                    _flaggedRounds[flag.ClientId] = rounds;
                }

                rounds.Add(round);
            }
        }
    }

    /// <summary>The rounds in which <paramref name="clientId"/> was flagged, ascending; empty for a client never flagged.</summary>
    public IReadOnlyList<int> GetFlaggedRounds(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        lock (_gate)
        {
            return _flaggedRounds.TryGetValue(clientId, out SortedSet<int>? rounds) ? rounds.ToArray() : [];
        }
    }

    /// <inheritdoc />
    /// <remarks>False when the client was flagged in at least MaxFlags of rounds round − Window … round − 1.</remarks>
    public bool IsEligible(string clientId, int round)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        lock (_gate)
        {
            if (!_flaggedRounds.TryGetValue(clientId, out SortedSet<int>? rounds))
            {
                return true;
            }

            return rounds.GetViewBetween(round - _window, round - 1).Count < _maxFlags;
        }
    }
}
