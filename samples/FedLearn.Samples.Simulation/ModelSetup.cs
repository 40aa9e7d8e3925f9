using FedLearn.Data;
using FedLearn.Server;
using FedLearn.Torch;
using FedLearn.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Samples.Simulation;

/// <summary>The model a run trains: its initial weights, how a client's trainer is built, and the central evaluation.</summary>
internal sealed class ModelSetup
{
    private readonly Func<int, ILocalTrainer> _trainerFactory;

    private ModelSetup(ModelWeights initialWeights, Func<int, ILocalTrainer> trainerFactory, ICentralEvaluator centralEvaluator, string device)
    {
        InitialWeights = initialWeights;
        _trainerFactory = trainerFactory;
        CentralEvaluator = centralEvaluator;
        Device = device;
    }

    public ModelWeights InitialWeights { get; }

    public ICentralEvaluator CentralEvaluator { get; }

    public string Device { get; }

    public ILocalTrainer CreateTrainer(int clientIndex) => _trainerFactory(clientIndex);

    public static ModelSetup Create(SimulationSettings settings, FederatedDataLoader data, Func<int, DatasetView, DatasetView>? trainingView = null)
    {
        DatasetView centralTest = data.CentralTest.All();
        if (settings.Model == "softmax")
        {
            ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(data.Train.FeatureCount, data.Train.ClassCount, settings.Seed);
            return new ModelSetup(
                initial,
                index =>
                {
                    ClientData client = data.GetClient(index);
                    return new SoftmaxRegressionTrainer(trainingView?.Invoke(index, client.Train) ?? client.Train, client.Test);
                },
                new DelegateEvaluator((weights, ct) => Task.FromResult(SoftmaxRegressionTrainer.Evaluate(weights, centralTest, ct))),
                "cpu (plain C#)");
        }

        // Each training client runs on one of the FedLearn.Torch worker threads with its own LibTorch thread budget.
        TorchRuntime.SetWorkerCount(settings.MaxParallelism);
        TorchRuntime.SetThreadCount(settings.Threads);
        var options = new TorchTrainerOptions { Optimizer = settings.Optimizer == "adam" ? TorchOptimizerKind.Adam : TorchOptimizerKind.Sgd };
        Device device = TorchRuntime.SelectDevice(options.Device);
        nn.Module<Tensor, Tensor> centralModel = TorchModels.Create(settings.Model, settings.Seed);
        centralModel.to(device);
        ModelWeights initialWeights = centralModel.GetWeights();
        var evaluationGate = new SemaphoreSlim(1, 1);
        return new ModelSetup(
            initialWeights,
            index =>
            {
                ClientData client = data.GetClient(index);
                return TorchTrainer.Create(settings.Model, trainingView?.Invoke(index, client.Train) ?? client.Train, client.Test, options);
            },
            new DelegateEvaluator(async (weights, ct) =>
            {
                // One shared model for the server's evaluation: rounds evaluate one at a time.
                await evaluationGate.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    return await TorchEvaluation.EvaluateAsync(centralModel, weights, centralTest, cancellationToken: ct).ConfigureAwait(false);
                }
                finally
                {
                    evaluationGate.Release();
                }
            }),
            device.type.ToString().ToLowerInvariant());
    }

    private sealed class DelegateEvaluator(Func<ModelWeights, CancellationToken, Task<EvaluationMetrics>> evaluate) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) => evaluate(weights, cancellationToken);
    }
}
