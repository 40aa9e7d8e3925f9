using System.Globalization;
using FedLearn.Data;
using FedLearn.Robust.Attacks;
using FedLearn.Robust.Screening;
using FedLearn.Robust.Specs;
using FedLearn.Server;

namespace FedLearn.Samples.Simulation;

/// <summary>
/// The robustness options of a run (<c>--aggregator</c>, <c>--pre-aggregator</c>, <c>--byzantine</c>,
/// <c>--screening</c>, <c>--reputation</c>) assembled from FedLearn.Robust: the aggregation rule, the screener and the
/// reputation in the server pipeline, and the Byzantine clients, whose updates a <see cref="SimulatedAdversary"/>
/// replaces with the attack's where the server first sees the round's updates (so omniscient attacks see the honest
/// updates of the same round). Label flipping poisons the Byzantine clients' training data instead.
/// </summary>
internal sealed class RobustSetup
{
    /// <summary>The accepted <c>--screening</c> values.</summary>
    public static readonly string[] ScreeningModes = ["off", "flag", "exclude"];

    private readonly SimulationSettings _settings;
    private readonly ByzantineSpec? _byzantine;
    private readonly HashSet<string> _byzantineIds;

    private RobustSetup(SimulationSettings settings, ByzantineSpec? byzantine, string[] clientIds)
    {
        _settings = settings;
        _byzantine = byzantine;
        ClientIds = clientIds;
        ByzantineIds = byzantine is null ? [] : ByzantineSelection.Choose(clientIds, byzantine.Fraction, settings.Seed);
        _byzantineIds = ByzantineIds.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The ids the simulation gives its clients.</summary>
    public IReadOnlyList<string> ClientIds { get; }

    /// <summary>The Byzantine clients, in id order; empty without <c>--byzantine</c>.</summary>
    public IReadOnlyList<string> ByzantineIds { get; }

    /// <summary>True when the run uses anything beyond plain FedAvg without attackers.</summary>
    public bool IsConfigured => _settings.Aggregator != "fedavg" || _settings.PreAggregator is not null || _byzantine is not null || _settings.Screening != "off";

    /// <summary>
    /// Checks the robustness options against each other and against the number of clients a round samples; throws
    /// <see cref="UsageException"/> naming the first bad option.
    /// </summary>
    public static void Check(SimulationSettings settings)
    {
        _ = ParseByzantine(settings);
        if (!ScreeningModes.Contains(settings.Screening))
        {
            throw new UsageException($"--screening must be one of {string.Join(", ", ScreeningModes)}, got '{settings.Screening}'.");
        }

        if (settings.Reputation && settings.Screening == "off")
        {
            throw new UsageException("--reputation needs --screening flag or exclude: the reputation counts the screener's flags.");
        }

        // Try the rule once on as many (zero) updates as a round samples, so that a bound the rule needs
        // (n > 2f, Krum's n > 2f + 2, Bulyan's n ≥ 4f + 3) fails now, in the rule's own words, and not in every round.
        IAggregator probe = BuildAggregator(settings);
        int sampled = ClientSampler.SampleSize(settings.Clients, settings.Fraction, Math.Min(2, settings.Clients));
        WeightedUpdate[] zeros = Enumerable.Range(0, sampled).Select(i => new WeightedUpdate($"c{i}", new float[1], 1)).ToArray();
        try
        {
            _ = probe.Aggregate(zeros, new float[1]);
        }
        catch (ArgumentException exception)
        {
            string option = settings.PreAggregator is null ? "--aggregator" : "--aggregator/--pre-aggregator";
            throw new UsageException($"{option}: with {sampled} clients per round, {OneLine(exception)}");
        }
    }

    /// <summary>Builds the setup of a checked run.</summary>
    public static RobustSetup Create(SimulationSettings settings) =>
        new(settings, ParseByzantine(settings), SimulationClientIds(settings.Clients));

    /// <summary>What the run defends with and who attacks, for the start-up line.</summary>
    public string Describe()
    {
        string rule = (_settings.PreAggregator is null ? string.Empty : _settings.PreAggregator + " → ") + _settings.Aggregator;
        string attack = _byzantine is null
            ? "no Byzantine clients"
            : string.Create(CultureInfo.InvariantCulture, $"{ByzantineIds.Count} Byzantine clients ({_byzantine.Attack.Name}): {string.Join(", ", ByzantineIds)}");
        string reputation = _settings.Reputation ? " with reputation" : string.Empty;
        return $"aggregation {rule}, screening {_settings.Screening}{reputation}, {attack}";
    }

    /// <summary>The training data client <paramref name="clientIndex"/> trains on: flipped labels for a label-flipping Byzantine client.</summary>
    public DatasetView TrainingView(int clientIndex, DatasetView train) =>
        _byzantine is { PoisonsLabels: true } && _byzantineIds.Contains(ClientIds[clientIndex]) ? LabelFlipAttack.Flip(train) : train;

    /// <summary>The Byzantine clients among <paramref name="sampled"/>.</summary>
    public IReadOnlyList<string> ByzantineAmong(IEnumerable<string> sampled) =>
        sampled.Where(_byzantineIds.Contains).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The pipeline with the configured rule, screener, reputation and adversary.</summary>
    /// <param name="pipeline">The pipeline to extend.</param>
    /// <param name="wrapRule">Wraps the configured rule (differential privacy), inside the adversary so that attackers' updates are clipped and noised like everyone's.</param>
    public ServerPipeline Apply(ServerPipeline pipeline, Func<IAggregator, IAggregator> wrapRule)
    {
        ServerPipeline result = pipeline with { Aggregator = wrapRule(BuildAggregator(_settings)) };
        if (_settings.Screening != "off")
        {
            ClientReputation? reputation = _settings.Reputation ? new ClientReputation() : null;
            var options = new UpdateScreenerOptions { ExcludeFlagged = _settings.Screening == "exclude" };
            result = result with { Screener = new UpdateScreener(options, reputation), Eligibility = reputation ?? result.Eligibility };
        }

        return _byzantine is null ? result : new SimulatedAdversary(_byzantine.Attack, ByzantineIds, _settings.Seed).Install(result);
    }

    /// <summary>Checks that the simulation named its clients as the Byzantine clients were chosen from.</summary>
    /// <exception cref="InvalidOperationException">The ids differ.</exception>
    public void Verify(IReadOnlyList<string> simulationClientIds)
    {
        if (!simulationClientIds.SequenceEqual(ClientIds, StringComparer.Ordinal))
        {
            throw new InvalidOperationException("The simulation named its clients differently from the ids the Byzantine clients were chosen from.");
        }
    }

    private static IAggregator BuildAggregator(SimulationSettings settings)
    {
        IAggregator rule = Parse("--aggregator", () => RobustSpecs.ParseAggregator(settings.Aggregator));
        return settings.PreAggregator is null ? rule : Parse("--pre-aggregator", () => RobustSpecs.ParsePreAggregator(settings.PreAggregator, rule, settings.Seed));
    }

    private static ByzantineSpec? ParseByzantine(SimulationSettings settings) =>
        settings.Byzantine is null ? null : Parse("--byzantine", () => RobustSpecs.ParseByzantine(settings.Byzantine));

    private static T Parse<T>(string option, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (FormatException exception)
        {
            throw new UsageException($"{option}: {OneLine(exception)}");
        }
    }

    private static string OneLine(Exception exception)
    {
        string message = exception is ArgumentException { ParamName: { } name }
            ? exception.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal)
            : exception.Message;
        return message.ReplaceLineEndings(" ");
    }

    // The ids FederatedSimulation gives its clients with the default prefix (index zero-padded to at least four
    // digits); Verify checks them against the simulation's own list.
    private static string[] SimulationClientIds(int count)
    {
        int digits = Math.Max(4, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        return Enumerable.Range(0, count).Select(i => "client-" + i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')).ToArray();
    }
}
