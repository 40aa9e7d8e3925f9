using FedLearn.Privacy.Accounting;
using FedLearn.Server;
using FedLearn.Telemetry;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// Records, after every successful round, the ε a DP aggregator reports, and (optionally) charges the round to the
/// ledger of every client whose update was aggregated. Register it with the server loop next to a DP aggregator.
/// Thread-safe.
/// </summary>
public sealed class PrivacyRoundObserver : IRoundObserver
{
    private readonly IPrivacyReporter _reporter;
    private readonly double _delta;
    private readonly ClientPrivacyLedger? _ledger;
    private readonly double _noiseMultiplier;
    private readonly double _sampleRate;
    private readonly List<PrivacyRoundRecord> _rounds = [];
    private readonly Lock _gate = new();

    /// <summary>Records the reporter's ε at <paramref name="delta"/> after every successful round.</summary>
    /// <param name="reporter">The DP aggregator (or any reporter) the server uses.</param>
    /// <param name="delta">δ in (0, 1).</param>
    /// <exception cref="ArgumentNullException"><paramref name="reporter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1).</exception>
    public PrivacyRoundObserver(IPrivacyReporter reporter, double delta)
    {
        ArgumentNullException.ThrowIfNull(reporter);
        RdpConversion.CheckDelta(delta);
        _reporter = reporter;
        _delta = delta;
    }

    /// <summary>As the other constructor, and also keeps a per-client ledger of the rounds each client's update was aggregated in.</summary>
    /// <param name="reporter">The DP aggregator (or any reporter) the server uses.</param>
    /// <param name="delta">δ in (0, 1).</param>
    /// <param name="noiseMultiplier">σ of the aggregator's noise, ≥ 0.</param>
    /// <param name="sampleRate">Each client's chance of being sampled per round, in [0, 1].</param>
    /// <param name="mode">How a client's rounds are counted.</param>
    /// <exception cref="ArgumentNullException"><paramref name="reporter"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public PrivacyRoundObserver(IPrivacyReporter reporter, double delta, double noiseMultiplier, double sampleRate, ClientLedgerMode mode = ClientLedgerMode.Amplified)
        : this(reporter, delta)
    {
        SubsampledGaussianRdp.Check(noiseMultiplier, sampleRate);
        _noiseMultiplier = noiseMultiplier;
        _sampleRate = sampleRate;
        _ledger = new ClientPrivacyLedger(mode);
    }

    /// <summary>One record per successful round so far, in round order (a snapshot).</summary>
    public IReadOnlyList<PrivacyRoundRecord> Rounds
    {
        get
        {
            lock (_gate)
            {
                return [.. _rounds];
            }
        }
    }

    /// <summary>A client's own ε over the rounds its update was aggregated in.</summary>
    /// <param name="clientId">The client.</param>
    /// <returns>0 when it took part in none.</returns>
    /// <exception cref="InvalidOperationException">The observer was built without a ledger.</exception>
    public PrivacyBudget GetClientSpent(string clientId)
    {
        lock (_gate)
        {
            return (_ledger ?? throw new InvalidOperationException("This observer keeps no per-client ledger; build it with the noise multiplier and sample rate."))
                .GetClientSpent(clientId, _delta).ToBudget();
        }
    }

    /// <inheritdoc />
    public void OnRoundStarted(int round, IReadOnlyList<string> sampled)
    {
    }

    /// <inheritdoc />
    public void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled)
    {
    }

    /// <inheritdoc />
    public void OnRoundCompleted(RoundResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!result.Succeeded)
        {
            return;
        }

        lock (_gate)
        {
            double epsilon = _reporter.Spent(_delta).Epsilon;
            _rounds.Add(new PrivacyRoundRecord(result.Round, epsilon, _delta));
            FedLearnTelemetry.PrivacyEpsilon.Record(epsilon, new KeyValuePair<string, object?>("fedlearn.privacy.delta", _delta));
            _ledger?.RecordRound(result.Aggregated, _noiseMultiplier, _sampleRate);
        }
    }
}
