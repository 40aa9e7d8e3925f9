using FedLearn.Data;
using FedLearn.Robust.Attacks;
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

    // A client that trains and then sends NaN weights.
    private sealed class NaNTrainer(ILocalTrainer inner) : ILocalTrainer
    {
        public async Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
        {
            LocalFitResult honest = await inner.FitAsync(globalWeights, config, cancellationToken);
            return honest with { Weights = globalWeights.WithValues(Enumerable.Repeat(float.NaN, globalWeights.Length).ToArray()) };
        }

        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => inner.EvaluateAsync(weights, cancellationToken);
    }

    private static readonly string[] Attackers = ["client-0000", "client-0001", "client-0002"];

    // Ten softmax clients on 6,000 images; the first three (the attackers) are wrapped by attack when it is given.
    private static FederatedSimulation TenClients(ServerPipeline pipeline, int rounds, Func<ILocalTrainer, ILocalTrainer>? attack)
    {
        FederatedDataLoader data = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { ClientCount = 10, TrainSubset = 6000, Seed = 42 });
        return new FederatedSimulation(
            new SimulationOptions { ClientCount = 10, MaxParallelism = 2 },
            new FederatedServerOptions { Rounds = rounds, FractionFit = 1.0, MinFitClients = 5, MinAvailableClients = 10, LearningRate = 0.05, Seed = 7 },
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 5),
            pipeline,
            i =>
            {
                var honest = new SoftmaxRegressionTrainer(data.GetClient(i).Train);
                return attack is not null && i < 3 ? attack(honest) : honest;
            });
    }

    [Test]
    public async Task Replies_rejected_as_non_finite_count_against_f_so_a_rule_sized_for_them_still_aggregates()
    {
        // f = 3 of 10: Multi-Krum needs n > 2f + 2 = 8 updates, but only the 7 honest ones are decodable.
        var pipeline = new ServerPipeline
        {
            Aggregator = RobustSpecs.ParsePreAggregator("nnm:3", RobustSpecs.ParseAggregator("multikrum:3")),
            Optimizer = new FedAvgOptimizer(),
        };

        FederatedRunResult run = await TenClients(pipeline, rounds: 2, honest => new NaNTrainer(honest)).RunAsync();

        Assert.That(run.Rounds.All(r => r.Succeeded), Is.True, string.Join("; ", run.Rounds.Select(r => r.FailureReason)));
        foreach (RoundResult round in run.Rounds)
        {
            Assert.That(round.Failures.Where(f => f.Kind == ClientFailureKind.Rejected).Select(f => f.ClientId), Is.EquivalentTo(Attackers));
            Assert.That(round.Aggregated, Has.Count.EqualTo(7).And.None.AnyOf(Attackers));
            Assert.That(round.Excluded, Is.Empty, "with f lowered to 0 Multi-Krum averages all seven");
        }
    }

    [Test]
    public async Task Updates_screened_out_as_non_finite_count_against_f_and_only_they_are_marked_certainly_faulty()
    {
        var adversary = new SimulatedAdversary(new NonFiniteAttack(), Attackers, seed: 1);
        var pipeline = adversary.Install(new ServerPipeline
        {
            Aggregator = RobustSpecs.ParsePreAggregator("nnm:3", RobustSpecs.ParseAggregator("multikrum:3")),
            Screener = new UpdateScreener(),
            Optimizer = new FedAvgOptimizer(),
        });

        FederatedRunResult run = await TenClients(pipeline, rounds: 2, attack: null).RunAsync();

        Assert.That(run.Rounds.All(r => r.Succeeded), Is.True, string.Join("; ", run.Rounds.Select(r => r.FailureReason)));
        foreach (RoundResult round in run.Rounds)
        {
            Assert.That(round.Flagged.Where(f => f.CertainlyFaulty).Select(f => f.ClientId), Is.EquivalentTo(Attackers));
            Assert.That(round.Aggregated, Has.None.AnyOf(Attackers));
        }
    }

    [Test]
    public async Task The_server_flags_and_excludes_attackers_reports_scores_and_stops_sampling_them()
    {
        var reputation = new ClientReputation(new ClientReputationOptions { Window = 10, MaxFlags = 2 });
        var pipeline = new ServerPipeline
        {
            Aggregator = RobustSpecs.ParsePreAggregator("nnm:1", RobustSpecs.ParseAggregator("multikrum:1")),
            Screener = new UpdateScreener(new UpdateScreenerOptions(), reputation),
            Eligibility = reputation,
            Optimizer = new FedAvgOptimizer(),
        };
        FederatedSimulation simulation = TenClients(pipeline, rounds: 4, honest => new SignFlippingTrainer(honest));

        FederatedRunResult run = await simulation.RunAsync();

        RoundResult first = run.Rounds[0];
        Assert.That(run.Rounds.All(r => r.Succeeded), Is.True, string.Join("; ", run.Rounds.Select(r => r.FailureReason)));
        Assert.That(first.Flagged.Select(f => f.ClientId), Is.EquivalentTo(Attackers));
        Assert.That(first.Aggregated, Has.None.AnyOf(Attackers));
        Assert.That(first.Scores, Has.Count.EqualTo(7), "Multi-Krum scores the seven updates that passed screening");
        Assert.That(first.Excluded.Select(e => e.ClientId), Is.SupersetOf(Attackers));
        Assert.That(run.Rounds[2].Sampled, Has.None.AnyOf(Attackers), "flagged in rounds 1 and 2, so not sampled in round 3");
        Assert.That(run.Rounds[2].Sampled, Has.Count.EqualTo(7));
    }
}
