using FedLearn.Data;
using FedLearn.Optimizers;
using FedLearn.Robust.Screening;
using FedLearn.Robust.Specs;
using FedLearn.Server;
using FedLearn.Simulation;
using FedLearn.Training;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Screening;

public sealed class ScreeningInServerTests
{
    // A client that trains honestly and then sends the negated delta.
    private sealed class SignFlippingTrainer(ILocalTrainer inner) : ILocalTrainer
    {
        public async Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
        {
            LocalFitResult honest = await inner.FitAsync(globalWeights, config, cancellationToken);
            float[] values = new float[globalWeights.Length];
            for (int j = 0; j < values.Length; j++)
            {
                values[j] = globalWeights.Values[j] - (honest.Weights.Values[j] - globalWeights.Values[j]);
            }

            return honest with { Weights = globalWeights.WithValues(values) };
        }

        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => inner.EvaluateAsync(weights, cancellationToken);
    }

    [Test]
    public async Task The_server_flags_and_excludes_attackers_reports_scores_and_stops_sampling_them()
    {
        FederatedDataLoader data = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { ClientCount = 10, TrainSubset = 6000, Seed = 42 });
        var reputation = new ClientReputation(new ClientReputationOptions { Window = 10, MaxFlags = 2 });
        var pipeline = new ServerPipeline
        {
            Aggregator = RobustSpecs.ParsePreAggregator("nnm:1", RobustSpecs.ParseAggregator("multikrum:1")),
            Screener = new UpdateScreener(new UpdateScreenerOptions(), reputation),
            Eligibility = reputation,
            Optimizer = new FedAvgOptimizer(),
        };
        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = 10, MaxParallelism = 2 },
            new FederatedServerOptions { Rounds = 4, FractionFit = 1.0, MinFitClients = 5, MinAvailableClients = 10, LearningRate = 0.05, Seed = 7 },
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 5),
            pipeline,
            i =>
            {
                var honest = new SoftmaxRegressionTrainer(data.GetClient(i).Train);
                return i < 3 ? new SignFlippingTrainer(honest) : honest;
            });
        string[] attackers = ["client-0000", "client-0001", "client-0002"];

        FederatedRunResult run = await simulation.RunAsync();

        RoundResult first = run.Rounds[0];
        Assert.That(run.Rounds.All(r => r.Succeeded), Is.True, string.Join("; ", run.Rounds.Select(r => r.FailureReason)));
        Assert.That(first.Flagged.Select(f => f.ClientId), Is.EquivalentTo(attackers));
        Assert.That(first.Aggregated, Has.None.AnyOf(attackers));
        Assert.That(first.Scores, Has.Count.EqualTo(7), "Multi-Krum scores the seven updates that passed screening");
        Assert.That(first.Excluded.Select(e => e.ClientId), Is.SupersetOf(attackers));
        Assert.That(run.Rounds[2].Sampled, Has.None.AnyOf(attackers), "flagged in rounds 1 and 2, so not sampled in round 3");
        Assert.That(run.Rounds[2].Sampled, Has.Count.EqualTo(7));
    }
}
