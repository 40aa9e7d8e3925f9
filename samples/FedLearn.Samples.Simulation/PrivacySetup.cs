using System.Collections.Concurrent;
using System.Globalization;
using FedLearn.Data;
using FedLearn.Privacy;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Samples.Shared;
using FedLearn.Privacy.Flags;
using FedLearn.Samples.Simulation.Reporting;
using FedLearn.Server;
using FedLearn.Torch;
using FedLearn.Torch.Privacy;

namespace FedLearn.Samples.Simulation;

/// <summary>
/// Differential privacy for a run, from <c>--dp</c>: DP-SGD in every client (<c>sample</c>), or client-level DP-FedAvg
/// around the server's aggregator (<c>client</c>, <c>client-adaptive</c>); and the ε spent per round for summary.json.
/// </summary>
/// <remarks>
/// <para><c>sample</c>: each client trains with <see cref="DpSgdTrainer"/>, its noise calibrated so that every round
/// the client could take part in (rounds × local epochs) spends at most the target ε on its own records; expected batch
/// = <c>--batch-size</c>. The ε reported per round is the largest any client has spent (record-level, each client's data).</para>
/// <para><c>client</c> and <c>client-adaptive</c>: client-level guarantee (adding or removing one client) at δ = 1e-5,
/// accounted with sample rate <c>--fraction</c>; the noise is seeded from the run seed, so runs are reproducible.</para>
/// </remarks>
internal sealed class PrivacySetup
{
    /// <summary>δ of the client-level modes, which the flag does not carry.</summary>
    public const double ClientLevelDelta = PrivacySpec.ClientLevelDelta;

    private readonly DpFlag _flag;
    private readonly ConcurrentBag<DpSgdTrainer> _trainers = [];
    private IPrivacyReporter? _aggregatorReporter;
    private PrivacyRoundObserver? _observer;

    private PrivacySetup(DpFlag flag)
    {
        _flag = flag;
    }

    /// <summary>True when the run has differential privacy.</summary>
    public bool Enabled => _flag.Mode != DpMode.None;

    /// <summary>δ of the reported ε.</summary>
    public double Delta => _flag.Mode == DpMode.Sample ? _flag.Delta!.Value : ClientLevelDelta;

    /// <summary>Parses <c>--dp</c>; throws <see cref="UsageException"/> for a bad value or a model DP-SGD cannot train.</summary>
    public static PrivacySetup Create(SimulationSettings settings)
    {
        DpFlag flag;
        try
        {
            flag = PrivacySpec.Parse(settings.Dp);
        }
        catch (FormatException exception)
        {
            throw new UsageException(exception.Message);
        }

        if (flag.Mode == DpMode.Sample && settings.Model == "softmax")
        {
            throw new UsageException("--dp sample trains with DP-SGD, which needs a TorchSharp model (cnn or mlp), not softmax.");
        }

        return new PrivacySetup(flag);
    }

    /// <summary>A one-line description for the console.</summary>
    public string Describe() => PrivacySpec.Describe(_flag);

    /// <summary>The server's aggregator: <paramref name="inner"/>, wrapped by a client-level DP decorator when asked for.</summary>
    public IAggregator WrapAggregator(IAggregator inner, SimulationSettings settings)
    {
        (IAggregator aggregator, IPrivacyReporter? reporter) = PrivacySpec.WrapAggregator(_flag, inner, settings.Fraction, settings.Clients, settings.Seed);
        _aggregatorReporter = reporter ?? _aggregatorReporter;
        return aggregator;
    }

    /// <summary>The clients' trainers: DP-SGD ones in <c>sample</c> mode, otherwise <paramref name="plain"/>.</summary>
    public Func<int, ILocalTrainer> TrainerFactory(SimulationSettings settings, FederatedDataLoader data, Func<int, ILocalTrainer> plain)
    {
        if (_flag.Mode != DpMode.Sample)
        {
            return plain;
        }

        DpSgdOptions options = PrivacySpec.DpSgdOptions(_flag, settings.Rounds, settings.LocalEpochs, settings.BatchSize, settings.Optimizer);
        return index =>
        {
            ClientData client = data.GetClient(index);
            var trainer = new DpSgdTrainer(TorchModels.Create(settings.Model, seed: 0), client.Train, client.Test, options);
            _trainers.Add(trainer);
            return trainer;
        };
    }

    /// <summary>The observer that records ε after every round; null without DP.</summary>
    public IRoundObserver? CreateObserver()
    {
        IPrivacyReporter? reporter = _flag.Mode switch
        {
            DpMode.None => null,
            DpMode.Sample => new LargestClientSpend(_trainers),
            _ => _aggregatorReporter ?? throw new InvalidOperationException("Wrap the aggregator before creating the privacy observer."),
        };
        _observer = reporter is null ? null : new PrivacyRoundObserver(reporter, Delta);
        return _observer;
    }

    /// <summary>Adds per-round and final ε and δ to the summary (unchanged without DP).</summary>
    public SimulationSummary Annotate(SimulationSummary summary)
    {
        if (_observer is null)
        {
            return summary;
        }

        Dictionary<int, PrivacyRoundRecord> byRound = _observer.Rounds.ToDictionary(r => r.Round);
        RoundRow[] rows = [.. summary.Rounds.Select(r => byRound.TryGetValue(r.Round, out PrivacyRoundRecord? p) ? r with { Epsilon = p.Epsilon, Delta = p.Delta } : r)];
        PrivacyRoundRecord? last = _observer.Rounds.LastOrDefault();
        return summary with { Rounds = rows, Epsilon = last?.Epsilon ?? 0.0, Delta = Delta };
    }

    /// <summary>Record-level ε of DP-SGD clients: the largest any client has spent.</summary>
    private sealed class LargestClientSpend(ConcurrentBag<DpSgdTrainer> trainers) : IPrivacyReporter
    {
        public PrivacyBudget Spent(double delta) =>
            new(trainers.IsEmpty ? 0.0 : trainers.Max(t => t.Spent(delta).Epsilon), delta);
    }
}
