using System.Diagnostics;
using System.Globalization;
using FedLearn.Data;
using FedLearn.Optimizers;
using FedLearn.Robust.Attacks;
using FedLearn.Robust.Screening;
using FedLearn.Robust.Specs;
using FedLearn.Server;
using FedLearn.Simulation;
using FedLearn.Torch;
using FedLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Samples.RobustnessReport.AttackMatrix;

/// <summary>
/// One federated run of a TorchSharp model on Fashion-MNIST with the simulation's own server loop
/// (<see cref="FederatedSimulation"/>): every client trains honestly, a <see cref="SimulatedAdversary"/> replaces the
/// Byzantine clients' updates with the attack's, the optional screener flags, and the configured rule aggregates.
/// The data and the evaluation model are loaded once per process and shared by every run.
/// </summary>
internal sealed class MatrixRun
{
    private const string ClientIdPrefix = "client-";
    private readonly MatrixSettings _settings;
    private readonly nn.Module<Tensor, Tensor>? _centralModel;
    private readonly ModelWeights? _initialWeights;
    private readonly TorchTrainerOptions _trainerOptions = new() { Optimizer = TorchOptimizerKind.Adam };

    public MatrixRun(MatrixSettings settings)
    {
        _settings = settings;
        if (IsSoftmax)
        {
            return;
        }

        TorchRuntime.SetWorkerCount(settings.Parallelism);
        TorchRuntime.SetThreadCount(1);
        _centralModel = TorchModels.Create(settings.Model, settings.Seed);
        _initialWeights = _centralModel.GetWeights();
    }

    // softmax is the plain-C# softmax regression of FedLearn.Core (SGD), the other models are FedLearn.Torch's (Adam).
    private bool IsSoftmax => _settings.Model == "softmax";

    public int Parameters(FederatedDataLoader data) => InitialWeights(data).Length;

    public async Task<MatrixResult> RunAsync(MatrixCase run, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        FederatedDataLoader data = Load(run.Partition);

        string[] ids = SimulationClientIds(_settings.Clients);
        IReadOnlyList<string> byzantineIds = ByzantineSelection.Choose(ids, run.Byzantine.Fraction, _settings.Seed);
        var byzantine = byzantineIds.ToHashSet(StringComparer.Ordinal);
        IAggregator aggregator = RobustSpecs.ParseAggregator(run.Aggregator);
        if (run.PreAggregator is not null)
        {
            aggregator = RobustSpecs.ParsePreAggregator(run.PreAggregator, aggregator, _settings.Seed);
        }

        DatasetView centralTest = data.CentralTest.All();
        var probe = new NormProbe(run.Screening ? new UpdateScreener() : null);
        var pipeline = new ServerPipeline
        {
            Aggregator = aggregator,
            Optimizer = ServerOptimizers.Parse("fedavg"),
            Screener = probe,
            CentralEvaluator = IsSoftmax
                ? new SoftmaxEvaluator(centralTest)
                : new Evaluator(_centralModel!, centralTest),
        };
        if (byzantine.Count > 0)
        {
            pipeline = new SimulatedAdversary(run.Byzantine.Attack, byzantineIds, _settings.Seed).Install(pipeline);
        }

        var serverOptions = new FederatedServerOptions
        {
            Rounds = _settings.Rounds,
            FractionFit = 1.0,
            MinFitClients = 2,
            MinAvailableClients = _settings.Clients,
            EvaluateEvery = _settings.Rounds,
            LocalEpochs = _settings.LocalEpochs,
            BatchSize = _settings.BatchSize,
            LearningRate = _settings.LearningRate,
            Seed = _settings.Seed,
            RoundTimeout = TimeSpan.FromHours(6),
            AvailabilityTimeout = TimeSpan.Zero,
        };
        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = _settings.Clients, MaxParallelism = _settings.Parallelism, ClientIdPrefix = ClientIdPrefix },
            serverOptions,
            InitialWeights(data),
            pipeline,
            index =>
            {
                ClientData client = data.GetClient(index);
                DatasetView train = run.Byzantine.PoisonsLabels && byzantine.Contains(ids[index]) ? LabelFlipAttack.Flip(client.Train) : client.Train;
                return IsSoftmax
                    ? new SoftmaxRegressionTrainer(train, client.Test)
                    : (ILocalTrainer)TorchTrainer.Create(_settings.Model, train, client.Test, _trainerOptions);
            });
        if (!simulation.ClientIds.SequenceEqual(ids, StringComparer.Ordinal))
        {
            throw new InvalidOperationException("The simulation named its clients differently from the ids the Byzantine clients were chosen from.");
        }

        FederatedRunResult result = await simulation.RunAsync(cancellationToken).ConfigureAwait(false);
        double accuracy = result.Rounds.LastOrDefault(r => r.CentralEvaluation is not null)?.CentralEvaluation?.Accuracy ?? double.NaN;
        int flagged = result.Rounds.Sum(r => r.Flagged.Count);
        int flaggedByzantine = result.Rounds.Sum(r => r.Flagged.Count(f => byzantine.Contains(f.ClientId)));
        int byzantineRounds = result.Rounds.Sum(r => r.Sampled.Count(byzantine.Contains));
        return new MatrixResult(accuracy, result.Rounds.Count(r => !r.Succeeded), flagged, flaggedByzantine, byzantineRounds, watch.Elapsed.TotalSeconds, probe.MeanMedianNorm);
    }

    public FederatedDataLoader Load(string partition) => FederatedDataLoader.GetOrCreate(new FederatedDataOptions
    {
        DataDirectory = _settings.DataDirectory,
        Partition = partition,
        ClientCount = _settings.Clients,
        Seed = _settings.Seed,
        TrainSubset = _settings.TrainSubset,
    });

    private ModelWeights InitialWeights(FederatedDataLoader data) =>
        _initialWeights ?? SoftmaxRegressionTrainer.CreateInitialWeights(data.Train.FeatureCount, data.Train.ClassCount, _settings.Seed);

    // The ids FederatedSimulation gives its clients (prefix + index, zero-padded to at least four digits); checked
    // against the simulation's own list after it is built.
    private static string[] SimulationClientIds(int count)
    {
        int digits = Math.Max(4, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        return Enumerable.Range(0, count).Select(i => ClientIdPrefix + i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0')).ToArray();
    }

    private sealed class SoftmaxEvaluator(DatasetView test) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) =>
            Task.FromResult(SoftmaxRegressionTrainer.Evaluate(weights, test, cancellationToken));
    }

    private sealed class Evaluator(nn.Module<Tensor, Tensor> model, DatasetView test) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) =>
            TorchEvaluation.EvaluateAsync(model, weights, test, cancellationToken: cancellationToken);
    }
}
