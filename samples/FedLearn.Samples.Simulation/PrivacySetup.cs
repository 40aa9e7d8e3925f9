using System.Collections.Concurrent;
using System.Globalization;
using FedLearn.Data;
using FedLearn.Privacy;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Flags;
using FedLearn.Privacy.Mechanisms;
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
    public const double ClientLevelDelta = 1e-5;

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
        if (!DpFlagParser.TryParse(settings.Dp, out DpFlag? flag, out string? error))
        {
            throw new UsageException(error);
        }

        if (flag.Mode == DpMode.Sample && settings.Model == "softmax")
        {
            throw new UsageException("--dp sample trains with DP-SGD, which needs a TorchSharp model (cnn or mlp), not softmax.");
        }

        return new PrivacySetup(flag);
    }

    /// <summary>A one-line description for the console.</summary>
    public string Describe() => _flag.Mode switch
    {
        DpMode.None => "none",
        DpMode.Sample => string.Create(CultureInfo.InvariantCulture, $"DP-SGD in every client, target ε = {_flag.TargetEpsilon} at δ = {_flag.Delta}, C = {_flag.ClippingNorm}"),
        DpMode.Client => string.Create(CultureInfo.InvariantCulture, $"client-level DP-FedAvg, server-side clipping C = {_flag.ClippingNorm}, σ = {_flag.NoiseMultiplier}, δ = {ClientLevelDelta}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"client-level DP-FedAvg, adaptive clipping to quantile {_flag.TargetQuantile}, σ = {_flag.NoiseMultiplier}, δ = {ClientLevelDelta}"),
    };

    /// <summary>The server's aggregator: <paramref name="inner"/>, wrapped by a client-level DP decorator when asked for.</summary>
    public IAggregator WrapAggregator(IAggregator inner, SimulationSettings settings)
    {
        switch (_flag.Mode)
        {
            case DpMode.Client:
                var fixedClipping = new ServerSideFixedClippingAggregator(
                    inner,
                    new FixedClippingOptions { ClippingNorm = _flag.ClippingNorm!.Value, NoiseMultiplier = _flag.NoiseMultiplier!.Value, SampleRate = settings.Fraction },
                    new SeededGaussianNoise(Seeds.Derive(settings.Seed, "dp-fedavg")));
                _aggregatorReporter = fixedClipping;
                return fixedClipping;
            case DpMode.ClientAdaptive:
                var adaptive = new AdaptiveClippingAggregator(
                    inner,
                    new AdaptiveClippingOptions
                    {
                        NoiseMultiplier = _flag.NoiseMultiplier!.Value,
                        TargetQuantile = _flag.TargetQuantile!.Value,
                        SampleRate = settings.Fraction,

                        // Andrew et al. suggest m/20 for the clipped-count noise; it must exceed σ/2, which m/20 does not
                        // for small federations, so take at least σ.
                        ClippedCountStddev = Math.Max(settings.Clients * settings.Fraction / 20.0, _flag.NoiseMultiplier!.Value),
                    },
                    new SeededGaussianNoise(Seeds.Derive(settings.Seed, "dp-fedavg")));
                _aggregatorReporter = adaptive;
                return adaptive;
            default:
                return inner;
        }
    }

    /// <summary>The clients' trainers: DP-SGD ones in <c>sample</c> mode, otherwise <paramref name="plain"/>.</summary>
    public Func<int, ILocalTrainer> TrainerFactory(SimulationSettings settings, FederatedDataLoader data, Func<int, ILocalTrainer> plain)
    {
        if (_flag.Mode != DpMode.Sample)
        {
            return plain;
        }

        var options = new DpSgdOptions
        {
            TargetEpsilon = _flag.TargetEpsilon,
            Delta = _flag.Delta!.Value,
            MaxGradientNorm = _flag.ClippingNorm!.Value,
            PlannedEpochs = (double)settings.Rounds * settings.LocalEpochs,
            ExpectedBatchSize = settings.BatchSize,
            Optimizer = settings.Optimizer == "adam" ? TorchOptimizerKind.Adam : TorchOptimizerKind.Sgd,
        };
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
