using System.Globalization;

namespace FedLearn.Privacy.Accounting;

/// <summary>
/// Client-level privacy accounting for DP-FedAvg: the server's guarantee over all rounds, and each client's own ε over
/// the rounds it took part in.
/// </summary>
/// <remarks>
/// <para>In client-level DP (McMahan et al. 2018) a round is one step of the subsampled Gaussian mechanism whose
/// "records" are clients: q is the probability that a client is sampled in the round and σ the noise multiplier of the
/// aggregate. The <b>server's view</b> (<see cref="GetServerSpent"/>) composes every recorded round at its (σ, q): it is
/// the guarantee every client enjoys when participation is sampled at random and kept secret.</para>
/// <para>A <b>client's own ledger</b> (<see cref="GetClientSpent"/>) composes only the rounds that client took part in,
/// each as one step at the round's sample rate. It is never larger than the server's view and shows how unevenly the
/// budget is used when some clients are sampled more often than others. When who took part in which round is public,
/// a bound that holds given the participation pattern is obtained by recording those rounds with sample rate 1 (no
/// amplification); pass <see cref="ClientLedgerMode.Unamplified"/> for that.</para>
/// <para>Not thread-safe: the server loop records rounds one at a time.</para>
/// </remarks>
public sealed class ClientPrivacyLedger
{
    private readonly IReadOnlyList<double> _orders;
    private readonly Dictionary<(double Sigma, double Q), double[]> _curves = [];
    private readonly ClientLedgerMode _mode;
    private readonly RdpAccountant _server;
    private readonly Dictionary<string, RdpAccountant> _clients = new(StringComparer.Ordinal);

    /// <summary>Creates an empty ledger.</summary>
    /// <param name="mode">How a client's own rounds are counted.</param>
    /// <param name="orders">Orders for every accountant; <see cref="RdpOrders.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="mode"/> is not a defined value.</exception>
    public ClientPrivacyLedger(ClientLedgerMode mode = ClientLedgerMode.Amplified, IReadOnlyList<double>? orders = null)
    {
        if (!Enum.IsDefined(mode))
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown ledger mode.");
        }

        _mode = mode;
        _orders = orders ?? RdpOrders.Default;
        _server = new RdpAccountant(_orders, _curves);
    }

    /// <summary>Number of rounds recorded.</summary>
    public int Rounds { get; private set; }

    /// <summary>The clients that took part in at least one recorded round.</summary>
    public IReadOnlyCollection<string> Clients => _clients.Keys;

    /// <summary>Records one round.</summary>
    /// <param name="participants">The clients whose updates entered the noisy aggregate; duplicates count once.</param>
    /// <param name="noiseMultiplier">σ of the round's aggregate noise over its per-client sensitivity; ≥ 0.</param>
    /// <param name="sampleRate">q, each client's probability of being sampled in the round, in [0, 1].</param>
    /// <exception cref="ArgumentNullException"><paramref name="participants"/> or one of its ids is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">σ or q is out of range.</exception>
    public void RecordRound(IEnumerable<string> participants, double noiseMultiplier, double sampleRate)
    {
        ArgumentNullException.ThrowIfNull(participants);
        SubsampledGaussianRdp.Check(noiseMultiplier, sampleRate);
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        foreach (string id in participants)
        {
            ArgumentNullException.ThrowIfNull(id, nameof(participants));
            distinct.Add(id);
        }

        double clientRate = _mode == ClientLedgerMode.Amplified ? sampleRate : 1.0;
        foreach (string id in distinct)
        {
            if (!_clients.TryGetValue(id, out RdpAccountant? accountant))
            {
                accountant = new RdpAccountant(_orders, _curves);
                _clients.Add(id, accountant);
            }

            accountant.Step(noiseMultiplier, clientRate);
        }

        _server.Step(noiseMultiplier, sampleRate);
        Rounds++;
    }

    /// <summary>How many recorded rounds <paramref name="clientId"/> took part in.</summary>
    /// <param name="clientId">The client.</param>
    public long ParticipationCount(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return _clients.TryGetValue(clientId, out RdpAccountant? accountant) ? accountant.StepCount : 0;
    }

    /// <summary>The client's own ε at <paramref name="delta"/> over the rounds it took part in; 0 when it took part in none.</summary>
    /// <param name="clientId">The client.</param>
    /// <param name="delta">δ in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1).</exception>
    public PrivacySpent GetClientSpent(string clientId, double delta)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        RdpConversion.CheckDelta(delta);
        return _clients.TryGetValue(clientId, out RdpAccountant? accountant)
            ? accountant.GetSpent(delta)
            : new PrivacySpent(0.0, delta, double.NaN);
    }

    /// <summary>The server's view: every recorded round composed at its (σ, q); a bound for every client.</summary>
    /// <param name="delta">δ in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1).</exception>
    public PrivacySpent GetServerSpent(double delta) => _server.GetSpent(delta);

    /// <summary>A readable one-line summary, for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"ClientPrivacyLedger({Rounds} rounds, {_clients.Count} clients, {_mode})");
}
