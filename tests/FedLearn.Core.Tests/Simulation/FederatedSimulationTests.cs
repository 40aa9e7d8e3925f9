using System.Runtime.InteropServices;
using FedLearn.Aggregation;
using FedLearn.Data;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Simulation;
using FedLearn.Training;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Simulation;

[TestFixture]
public sealed class FederatedSimulationTests
{
    private static FederatedDataLoader Data(int clients, string partition = "iid", int? subset = 6000) =>
        FederatedDataLoader.GetOrCreate(new FederatedDataOptions { ClientCount = clients, Partition = partition, TrainSubset = subset, Seed = 42 });

    private static FederatedSimulation Build(
        FederatedDataLoader data,
        int rounds,
        int parallelism,
        double fraction = 0.5,
        string? checkpoint = null,
        Func<int, ILocalTrainer>? trainers = null,
        IServerOptimizer? optimizer = null)
    {
        DatasetView test = data.CentralTest.Take(2000);
        var serverOptions = new FederatedServerOptions
        {
            Rounds = rounds,
            FractionFit = fraction,
            MinFitClients = 2,
            MinAvailableClients = data.ClientCount,
            LearningRate = 0.05,
            Seed = 1234,
            CheckpointDirectory = checkpoint,
        };
        var pipeline = new ServerPipeline
        {
            Aggregator = new FederatedAveraging(),
            Optimizer = optimizer ?? new FedAdamOptimizer(),
            CentralEvaluator = new Evaluator(test),
        };
        return new FederatedSimulation(
            new SimulationOptions { ClientCount = data.ClientCount, MaxParallelism = parallelism },
            serverOptions,
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 5),
            pipeline,
            trainers ?? (i => new SoftmaxRegressionTrainer(data.GetClient(i).Train, data.GetClient(i).Test)));
    }

    private static byte[] Bits(ModelWeights weights) => MemoryMarshal.AsBytes(weights.Values.AsSpan()).ToArray();

    [Test]
    public async Task The_same_seed_gives_bit_identical_weights_whatever_the_thread_scheduling()
    {
        FederatedDataLoader data = Data(20, "dirichlet:0.5");

        FederatedRunResult sequential = await Build(data, rounds: 3, parallelism: 1).RunAsync();
        FederatedRunResult parallel = await Build(data, rounds: 3, parallelism: 8).RunAsync();
        FederatedRunResult again = await Build(data, rounds: 3, parallelism: 3).RunAsync();

        Assert.That(sequential.Rounds.All(r => r.Succeeded), Is.True);
        Assert.That(Bits(parallel.FinalWeights), Is.EqualTo(Bits(sequential.FinalWeights)));
        Assert.That(Bits(again.FinalWeights), Is.EqualTo(Bits(sequential.FinalWeights)));
        Assert.That(parallel.Rounds.Select(r => r.Sampled), Is.EqualTo(sequential.Rounds.Select(r => r.Sampled)));
    }

    [Test]
    public async Task Six_rounds_straight_equal_three_rounds_restart_and_three_more_bit_for_bit()
    {
        FederatedDataLoader data = Data(10);
        string straightDir = Path.Combine(Path.GetTempPath(), "fedlearn-ckpt-" + Guid.NewGuid().ToString("N"));
        string resumedDir = Path.Combine(Path.GetTempPath(), "fedlearn-ckpt-" + Guid.NewGuid().ToString("N"));
        try
        {
            FederatedRunResult straight = await Build(data, rounds: 6, parallelism: 2, checkpoint: straightDir).RunAsync();

            FederatedRunResult firstHalf = await Build(data, rounds: 3, parallelism: 2, checkpoint: resumedDir).RunAsync();
            // A new process would build everything afresh: new optimizer, new server, same options but Rounds = 6.
            FederatedSimulation restarted = Build(data, rounds: 6, parallelism: 2, checkpoint: resumedDir);
            FederatedRunResult secondHalf = await restarted.RunAsync();

            Assert.That(firstHalf.Rounds.Select(r => r.Round), Is.EqualTo(new[] { 1, 2, 3 }));
            Assert.That(secondHalf.Rounds.Select(r => r.Round), Is.EqualTo(new[] { 4, 5, 6 }), "the restarted server must continue after round 3");
            Assert.That(Bits(secondHalf.FinalWeights), Is.EqualTo(Bits(straight.FinalWeights)));
            Assert.That(secondHalf.Rounds.Select(r => r.Sampled), Is.EqualTo(straight.Rounds.Skip(3).Select(r => r.Sampled)));
        }
        finally
        {
            foreach (string dir in new[] { straightDir, resumedDir })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        }
    }

    [Test]
    public async Task Clients_are_materialised_only_while_they_work()
    {
        FederatedDataLoader data = Data(40);
        int live = 0, peak = 0, created = 0;
        ILocalTrainer Create(int index)
        {
            Interlocked.Increment(ref created);
            int now = Interlocked.Increment(ref live);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }

            ClientData client = data.GetClient(index);
            return new CountedTrainer(new SoftmaxRegressionTrainer(client.Train, client.Test), () => Interlocked.Decrement(ref live));
        }

        FederatedRunResult run = await Build(data, rounds: 2, parallelism: 3, fraction: 0.25, trainers: Create).RunAsync();

        Assert.That(run.Rounds.Sum(r => r.Sampled.Count), Is.EqualTo(20));
        Assert.That(created, Is.EqualTo(20), "one trainer per sampled client per round");
        Assert.That(peak, Is.LessThanOrEqualTo(3), "never more trainers alive than the parallelism");
        Assert.That(live, Is.Zero, "every trainer is disposed after its exchange");
    }

    [Test]
    public async Task Softmax_federation_on_real_fashion_mnist_reaches_80_percent()
    {
        FederatedDataLoader data = Data(10, "iid", subset: null);
        var serverOptions = new FederatedServerOptions { Rounds = 5, MinFitClients = 10, MinAvailableClients = 10, LearningRate = 0.05, Seed = 42 };
        var pipeline = new ServerPipeline
        {
            Aggregator = new FederatedAveraging(),
            Optimizer = new FedAvgOptimizer(),
            CentralEvaluator = new Evaluator(data.CentralTest.All()),
        };
        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = 10 },
            serverOptions,
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 42),
            pipeline,
            i => new SoftmaxRegressionTrainer(data.GetClient(i).Train, data.GetClient(i).Test));

        FederatedRunResult run = await simulation.RunAsync();

        EvaluationMetrics final = run.Rounds[^1].CentralEvaluation!;
        TestContext.Out.WriteLine($"accuracy per round: {string.Join(", ", run.Rounds.Select(r => r.CentralEvaluation!.Accuracy.ToString("F4")))}");
        Assert.That(final.ExampleCount, Is.EqualTo(10_000));
        Assert.That(final.Accuracy, Is.GreaterThanOrEqualTo(0.80));
        Assert.That(run.Rounds[^1].CentralEvaluation!.Loss, Is.LessThan(run.Rounds[0].CentralEvaluation!.Loss));
    }

    private sealed class Evaluator(DatasetView test) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) =>
            Task.FromResult(SoftmaxRegressionTrainer.Evaluate(weights, test, cancellationToken));
    }

    private sealed class CountedTrainer(ILocalTrainer inner, Action onDispose) : ILocalTrainer, IDisposable
    {
        public Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken) => inner.FitAsync(globalWeights, config, cancellationToken);

        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => inner.EvaluateAsync(weights, cancellationToken);

        public void Dispose() => onDispose();
    }
}
