using System.Collections.Concurrent;
using FedLearn.Aggregation;
using FedLearn.Client;
using FedLearn.Data;
using FedLearn.Optimizers;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Simulation;
using FedLearn.Training;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation;

/// <summary>The whole round in the in-memory simulation: secure aggregation gives the plain FedAvg model within quantization error.</summary>
public sealed class SecureAggregationSimulationTests
{
    private static FederatedDataLoader Data() =>
        FederatedDataLoader.GetOrCreate(new FederatedDataOptions { ClientCount = 8, Partition = "iid", TrainSubset = 4000, Seed = 42 });

    private static async Task<FederatedRunResult> RunAsync(ISecureAggregationProtocol? secure, Func<int, ISecureAggregationClient>? clientSide, int rounds = 3)
    {
        FederatedDataLoader data = Data();
        var pipeline = new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer(), SecureAggregation = secure };
        var clients = new ConcurrentDictionary<int, ISecureAggregationClient>();
        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = 8, MaxParallelism = 2 },
            new FederatedServerOptions { Rounds = rounds, FractionFit = 1.0, MinFitClients = 5, MinAvailableClients = 8, LearningRate = 0.05, Seed = 99, FractionEvaluate = 0 },
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 5),
            pipeline,
            i => new SoftmaxRegressionTrainer(data.GetClient(i).Train, data.GetClient(i).Test),
            clientSide is null ? null : i => new ClientPipeline { SecureAggregation = clients.GetOrAdd(i, clientSide) });
        return await simulation.RunAsync();
    }

    [Test]
    public async Task A_secagg_plus_run_equals_the_plain_run_within_quantization_error()
    {
        FederatedRunResult plain = await RunAsync(null, null);
        FederatedRunResult secure = await RunAsync(new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3, MaxWeight = 1000 }), _ => new SecAggPlusClient());

        Assert.That(secure.Rounds.Select(r => r.FailureReason), Is.All.Null);
        Assert.That(secure.Rounds.All(r => r.Aggregated.Count == 8), Is.True);
        Assert.That(secure.Rounds[0].BytesUp, Is.GreaterThan(8L * 7850 * 4));
        float[] a = plain.FinalWeights.Values;
        float[] b = secure.FinalWeights.Values;
        double worst = a.Zip(b, (x, y) => Math.Abs((double)x - y)).Max();
        double scale = a.Max(Math.Abs);
        // One quantization step (2·8/2^22 ≈ 3.8e-6) per client and round at most, over three rounds of training.
        Assert.That(worst, Is.LessThan(1e-4), $"largest weight {scale}");
        Assert.That(worst, Is.GreaterThan(0), "the secure run went through quantization");
    }

    [Test]
    public async Task A_paillier_run_equals_the_plain_run_within_quantization_error()
    {
        PaillierOptions options = new() { KeyBits = 768, AllowInsecureKeySizeForTesting = true, MaxClients = 16, MaxWeight = 1000 };
        PaillierPrivateKey key = Tests.HomomorphicEncryption.TestKeys.Key768;
        FederatedRunResult plain = await RunAsync(null, null, rounds: 2);
        using var server = new PaillierSecureAggregation(key.PublicKey, options);
        FederatedRunResult secure = await RunAsync(server, _ => new PaillierAggregationClient(key, options), rounds: 2);

        Assert.That(secure.Rounds.Select(r => r.FailureReason), Is.All.Null);
        double worst = plain.FinalWeights.Values.Zip(secure.FinalWeights.Values, (x, y) => Math.Abs((double)x - y)).Max();
        Assert.That(worst, Is.LessThan(1e-4));
    }

    [Test]
    public async Task Clients_dropping_between_set_up_and_upload_are_recovered_in_the_round()
    {
        FederatedDataLoader data = Data();
        var pipeline = new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer(), SecureAggregation = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 7, ReconstructionThreshold = 4 }) };
        var clients = new ConcurrentDictionary<int, ISecureAggregationClient>();
        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = 8, MaxParallelism = 2 },
            new FederatedServerOptions { Rounds = 1, FractionFit = 1.0, MinFitClients = 4, MinAvailableClients = 8, LearningRate = 0.05, Seed = 3, FractionEvaluate = 0 },
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 5),
            pipeline,
            i => i is 1 or 6 ? new FailingTrainer() : new SoftmaxRegressionTrainer(data.GetClient(i).Train, data.GetClient(i).Test),
            i => new ClientPipeline { SecureAggregation = clients.GetOrAdd(i, _ => new SecAggPlusClient()) });

        RoundResult round = (await simulation.RunAsync()).Rounds.Single();

        Assert.That(round.Succeeded, Is.True, round.FailureReason);
        Assert.That(round.Aggregated, Has.Count.EqualTo(6));
        Assert.That(round.Failures.Select(f => f.ClientId), Is.EquivalentTo(new[] { simulation.ClientIds[1], simulation.ClientIds[6] }));
    }

    private sealed class FailingTrainer : ILocalTrainer
    {
        public Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken) => throw new IOException("the device went offline");

        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => throw new IOException("the device went offline");
    }
}
