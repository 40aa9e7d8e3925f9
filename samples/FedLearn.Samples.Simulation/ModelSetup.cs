using FedLearn.Data;
using FedLearn.Server;
using FedLearn.Training;

namespace FedLearn.Samples.Simulation;

/// <summary>The model a run trains: its initial weights, how a client's trainer is built, and the central evaluation.</summary>
internal sealed class ModelSetup
{
    private readonly Func<int, ILocalTrainer> _trainerFactory;

    private ModelSetup(ModelWeights initialWeights, Func<int, ILocalTrainer> trainerFactory, ICentralEvaluator centralEvaluator)
    {
        InitialWeights = initialWeights;
        _trainerFactory = trainerFactory;
        CentralEvaluator = centralEvaluator;
    }

    public ModelWeights InitialWeights { get; }

    public ICentralEvaluator CentralEvaluator { get; }

    public ILocalTrainer CreateTrainer(int clientIndex) => _trainerFactory(clientIndex);

    public static ModelSetup Create(SimulationSettings settings, FederatedDataLoader data)
    {
        DatasetView centralTest = data.CentralTest.All();
        switch (settings.Model)
        {
            case "softmax":
                ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(data.Train.FeatureCount, data.Train.ClassCount, settings.Seed);
                return new ModelSetup(
                    initial,
                    index =>
                    {
                        ClientData client = data.GetClient(index);
                        return new SoftmaxRegressionTrainer(client.Train, client.Test);
                    },
                    new DelegateEvaluator((weights, ct) => SoftmaxRegressionTrainer.Evaluate(weights, centralTest, ct)));
            default:
                throw new UsageException($"--model must be one of {string.Join(", ", SimulationCommand.Models)}, got '{settings.Model}'.");
        }
    }

    private sealed class DelegateEvaluator(Func<ModelWeights, CancellationToken, EvaluationMetrics> evaluate) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) =>
            Task.Run(() => evaluate(weights, cancellationToken), cancellationToken);
    }
}
