using FedLearn.Aggregation;
using FedLearn.Optimizers;
using FedLearn.Robust.Attacks;
using FedLearn.Robust.Screening;
using FedLearn.Server;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Attacks;

public sealed class SimulatedAdversaryTests
{
    private static (WeightedUpdate[] Updates, SimulatedAdversary Adversary, ServerPipeline Pipeline) Setup(IUpdateScreener? screener)
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(5), 8, 32);
        for (int i = 0; i < updates.Length; i++)
        {
            // Honest updates that agree: a shared direction plus small noise, so a sign flip is an outlier.
            float[] values = updates[i].Values.ToArray();
            for (int j = 0; j < values.Length; j++)
            {
                values[j] = 1 + (0.1f * values[j]);
            }

            updates[i] = updates[i] with { Values = values, Weight = 1 };
        }

        var adversary = new SimulatedAdversary(new SignFlipAttack(), ["c001", "c004"], seed: 3);
        var pipeline = new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer(), Screener = screener };
        return (updates, adversary, adversary.Install(pipeline));
    }

    [Test]
    public void Screening_and_aggregation_see_what_the_attackers_send()
    {
        var recorder = new RecordingScreener();
        (WeightedUpdate[] updates, _, ServerPipeline pipeline) = Setup(recorder);

        IReadOnlyList<ClientFlag> flags = pipeline.Screener!.Screen(1, updates);
        float[] aggregated = new float[32];
        pipeline.Aggregator.Aggregate(updates, aggregated);

        Assert.That(flags, Is.Empty);
        WeightedUpdate seen = recorder.Seen!.Single(u => u.ClientId == "c001");
        Assert.That(seen.Values.ToArray(), Is.EqualTo(updates[1].Values.ToArray().Select(v => -v).ToArray()));
        Assert.That(recorder.Seen!.Single(u => u.ClientId == "c002").Values.ToArray(), Is.EqualTo(updates[2].Values.ToArray()));
        for (int j = 0; j < 32; j++)
        {
            double expected = updates.Select((u, i) => i is 1 or 4 ? -u.Values.Span[j] : u.Values.Span[j]).Average();
            Assert.That(aggregated[j], Is.EqualTo(expected).Within(1e-5), $"index {j}");
        }
    }

    [Test]
    public void Flagged_attackers_are_left_out_and_the_rest_are_aggregated_with_the_crafted_values()
    {
        (WeightedUpdate[] updates, _, ServerPipeline pipeline) = Setup(new UpdateScreener());

        IReadOnlyList<ClientFlag> flags = pipeline.Screener!.Screen(1, updates);
        Assert.That(flags.Select(f => f.ClientId), Is.EqualTo(new[] { "c001", "c004" }));

        // The server removes the excluded updates before aggregating, as FederatedServer does.
        WeightedUpdate[] kept = updates.Where(u => !flags.Any(f => f.Exclude && f.ClientId == u.ClientId)).ToArray();
        float[] aggregated = new float[32];
        pipeline.Aggregator.Aggregate(kept, aggregated);
        for (int j = 0; j < 32; j++)
        {
            Assert.That(aggregated[j], Is.EqualTo(kept.Average(u => u.Values.Span[j])).Within(1e-5));
        }
    }

    [Test]
    public void Aggregating_without_a_screened_round_is_refused_rather_than_using_stale_updates()
    {
        (WeightedUpdate[] updates, _, ServerPipeline pipeline) = Setup(null);
        pipeline.Screener!.Screen(1, updates);
        pipeline.Aggregator.Aggregate(updates, new float[32]);

        Assert.That(
            () => pipeline.Aggregator.Aggregate(updates, new float[32]),
            Throws.InvalidOperationException.With.Message.Contains("crafted no update for Byzantine client 'c001'"));
    }

    [Test]
    public void Without_a_screener_it_flags_nothing_and_keeps_the_rule_name()
    {
        (WeightedUpdate[] updates, SimulatedAdversary adversary, ServerPipeline pipeline) = Setup(null);

        Assert.That(pipeline.Screener!.Screen(2, updates), Is.Empty);
        Assert.That(pipeline.Aggregator.Name, Is.EqualTo("fedavg"));
        Assert.That(adversary.ByzantineIds, Is.EqualTo(new[] { "c001", "c004" }));
        Assert.That(adversary.IsByzantine("c004"), Is.True);
        Assert.That(adversary.IsByzantine("c000"), Is.False);
    }

    private sealed class RecordingScreener : IUpdateScreener
    {
        public IReadOnlyList<WeightedUpdate>? Seen { get; private set; }

        public IReadOnlyList<ClientFlag> Screen(int round, IReadOnlyList<WeightedUpdate> updates)
        {
            Seen = updates;
            return [];
        }
    }
}
