using NUnit.Framework;
using System.Diagnostics;
using FedLearn.Aggregation;
using FedLearn.Core.Tests.TestSupport;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Transport;
using Microsoft.Extensions.Options;

namespace FedLearn.Core.Tests.Server;

[TestFixture]
public sealed class FederatedServerTests
{
    private static ModelWeights Model() => new([("w", [4]), ("b", [2])]);

    private static ServerPipeline FedAvg() => new() { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer() };

    private static (InMemoryTransport Transport, List<IDisposable> Connections) Connect(params (string Id, IClientMessageHandler Handler)[] clients)
    {
        var transport = new InMemoryTransport(new InMemoryTransportOptions { MaxParallelism = 16 });
        var connections = clients.Select(c => transport.Connect(c.Id, c.Handler)).ToList();
        return (transport, connections);
    }

    [Test]
    public async Task Round_with_a_never_answering_client_completes_with_quorum_well_before_the_deadline()
    {
        (InMemoryTransport transport, _) = Connect(
            ("a", new ScriptedClient("a", 1f, 10)),
            ("b", new ScriptedClient("b", 2f, 10)),
            ("c", new ScriptedClient("c", 3f, 20)),
            ("d", new ScriptedClient("d", 100f, 10, ClientBehaviour.NeverAnswers)));
        var options = new FederatedServerOptions
        {
            Rounds = 1, MinFitClients = 3, MinAvailableClients = 4,
            RoundTimeout = TimeSpan.FromSeconds(60), StragglerGracePeriod = TimeSpan.FromMilliseconds(200),
        };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        var watch = Stopwatch.StartNew();
        RoundResult result = await server.RunRoundAsync(1);
        watch.Stop();

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)), "the round waited for the deadline instead of closing after the grace period");
        Assert.That(result.Aggregated, Is.EqualTo(new[] { "a", "b", "c" }));
        Assert.That(result.Failures, Has.Count.EqualTo(1));
        Assert.That(result.Failures[0].ClientId, Is.EqualTo("d"));
        Assert.That(result.Failures[0].Kind, Is.EqualTo(ClientFailureKind.Timeout));
        // Example-weighted mean: (10·1 + 10·2 + 20·3) / 40 = 2.25.
        Assert.That(server.GlobalWeights.Values, Is.All.EqualTo(2.25f).Within(1e-6f));
    }

    [Test]
    public async Task Without_grace_period_the_deadline_closes_the_stage_and_slow_clients_time_out()
    {
        (InMemoryTransport transport, _) = Connect(
            ("a", new ScriptedClient("a", 1f, 1)),
            ("b", new ScriptedClient("b", 3f, 1)),
            ("slow", new ScriptedClient("slow", 100f, 1, ClientBehaviour.Slow, TimeSpan.FromSeconds(60))));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 3, RoundTimeout = TimeSpan.FromSeconds(1) };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        var watch = Stopwatch.StartNew();
        RoundResult result = await server.RunRoundAsync(1);

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        Assert.That(watch.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)).And.LessThan(TimeSpan.FromSeconds(30)));
        Assert.That(result.Failures.Single().ClientId, Is.EqualTo("slow"));
        Assert.That(result.Failures.Single().Kind, Is.EqualTo(ClientFailureKind.Timeout));
        Assert.That(server.GlobalWeights.Values, Is.All.EqualTo(2f).Within(1e-6f));
    }

    [Test]
    public async Task Failing_and_misbehaving_clients_are_reported_by_name_with_the_reason()
    {
        (InMemoryTransport transport, _) = Connect(
            ("good-1", new ScriptedClient("good-1", 1f, 5)),
            ("good-2", new ScriptedClient("good-2", 1f, 5)),
            ("throws", new ScriptedClient("throws", 1f, 5, ClientBehaviour.Throws)),
            ("error", new ScriptedClient("error", 1f, 5, ClientBehaviour.ReportsError)),
            ("late-round", new ScriptedClient("late-round", 1f, 5, ClientBehaviour.WrongRound)),
            ("impostor", new ScriptedClient("impostor", 1f, 5, ClientBehaviour.WrongId)),
            ("nan", new ScriptedClient("nan", 1f, 5, ClientBehaviour.NonFinite)),
            ("long", new ScriptedClient("long", 1f, 5, ClientBehaviour.WrongLength)));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 8, RoundTimeout = TimeSpan.FromSeconds(30) };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        RoundResult result = await server.RunRoundAsync(1);

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        Assert.That(result.Aggregated, Is.EquivalentTo(new[] { "good-1", "good-2" }));
        Dictionary<string, ClientFailure> failures = result.Failures.ToDictionary(f => f.ClientId);
        Assert.Multiple(() =>
        {
            Assert.That(failures["throws"].Kind, Is.EqualTo(ClientFailureKind.Error));
            Assert.That(failures["throws"].Message, Does.Contain("throws crashed"));
            Assert.That(failures["error"].Kind, Is.EqualTo(ClientFailureKind.Error));
            Assert.That(failures["error"].Message, Does.Contain("out of memory"));
            Assert.That(failures["late-round"].Kind, Is.EqualTo(ClientFailureKind.Rejected));
            Assert.That(failures["late-round"].Message, Does.Contain("round 2, not 1"));
            Assert.That(failures["impostor"].Message, Does.Contain("claims to come from 'impostor-impostor'"));
            Assert.That(failures["nan"].Message, Does.Contain("NaN or infinite"));
            Assert.That(failures["long"].Message, Does.Contain("has 7 values; the model has 6"));
        });
        Assert.That(server.GlobalWeights.Values, Is.All.EqualTo(1f));
    }

    [Test]
    public async Task Below_quorum_the_round_fails_clearly_and_the_model_is_unchanged()
    {
        (InMemoryTransport transport, _) = Connect(
            ("a", new ScriptedClient("a", 1f, 1)),
            ("b", new ScriptedClient("b", 1f, 1, ClientBehaviour.Throws)),
            ("c", new ScriptedClient("c", 1f, 1, ClientBehaviour.NeverAnswers)));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 3, RoundTimeout = TimeSpan.FromMilliseconds(500) };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        RoundResult result = await server.RunRoundAsync(1);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.FailureReason, Does.Contain("only 1 of 3 sampled clients delivered a usable update; the quorum is 2"));
        Assert.That(result.FailureReason, Does.Contain("b: error").And.Contain("c: timeout"));
        Assert.That(server.GlobalWeights.Values, Is.All.EqualTo(0f));
        Assert.That(server.CompletedRounds, Is.EqualTo(1));
    }

    [Test]
    public async Task Too_few_connected_clients_fail_the_round_after_the_availability_timeout()
    {
        (InMemoryTransport transport, _) = Connect(("a", new ScriptedClient("a", 1f, 1)), ("b", new ScriptedClient("b", 1f, 1)));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 3, AvailabilityTimeout = TimeSpan.FromMilliseconds(200) };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        RoundResult result = await server.RunRoundAsync(1);

        Assert.That(result.Succeeded, Is.False);
        Assert.That(result.FailureReason, Does.Contain("only 2 of the 3 required clients were connected"));
    }

    [Test]
    public async Task A_client_that_connects_while_the_server_waits_is_used()
    {
        (InMemoryTransport transport, _) = Connect(("a", new ScriptedClient("a", 1f, 1)));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 2, AvailabilityTimeout = TimeSpan.FromSeconds(30) };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        Task<RoundResult> round = server.RunRoundAsync(1);
        await Task.Delay(200);
        using IDisposable late = transport.Connect("b", new ScriptedClient("b", 3f, 1));
        RoundResult result = await round;

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        Assert.That(result.Aggregated, Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public async Task Sampling_takes_the_fraction_is_seeded_and_changes_between_rounds()
    {
        var clients = Enumerable.Range(0, 20).Select(i => ($"c{i:D2}", (IClientMessageHandler)new ScriptedClient($"c{i:D2}", 1f, 1))).ToArray();
        async Task<IReadOnlyList<string>[]> SampleTwoRounds(ulong seed)
        {
            (InMemoryTransport transport, _) = Connect(clients);
            var options = new FederatedServerOptions { Rounds = 2, FractionFit = 0.25, MinFitClients = 2, MinAvailableClients = 2, Seed = seed };
            var server = new FederatedServer(options, transport, Model(), FedAvg());
            FederatedRunResult run = await server.RunAsync();
            return run.Rounds.Select(r => r.Sampled).ToArray();
        }

        IReadOnlyList<string>[] first = await SampleTwoRounds(7);
        IReadOnlyList<string>[] again = await SampleTwoRounds(7);
        IReadOnlyList<string>[] other = await SampleTwoRounds(8);

        Assert.That(first[0], Has.Count.EqualTo(5));
        Assert.That(again[0], Is.EqualTo(first[0]));
        Assert.That(again[1], Is.EqualTo(first[1]));
        Assert.That(first[1], Is.Not.EqualTo(first[0]));
        Assert.That(other[0], Is.Not.EqualTo(first[0]));
    }

    [Test]
    public async Task Federated_evaluation_is_example_weighted()
    {
        (InMemoryTransport transport, _) = Connect(("a", new ScriptedClient("a", 0.5f, 10)), ("b", new ScriptedClient("b", 1f, 30)));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 2, FractionEvaluate = 1.0, MinEvaluateClients = 2 };
        var server = new FederatedServer(options, transport, Model(), FedAvg());

        RoundResult result = await server.RunRoundAsync(1);

        Assert.That(result.FederatedEvaluation, Is.Not.Null);
        Assert.That(result.FederatedEvaluation!.Accuracy, Is.EqualTo(((0.5 * 10) + (1.0 * 30)) / 40).Within(1e-9));
        Assert.That(result.FederatedEvaluation.ExampleCount, Is.EqualTo(40));
    }

    [Test]
    public void Invalid_options_are_rejected_when_the_server_is_built_with_every_error_listed()
    {
        (InMemoryTransport transport, _) = Connect();
        var options = new FederatedServerOptions { Rounds = 0, FractionFit = 1.5, MinFitClients = 5, MinAvailableClients = 3, RoundTimeout = TimeSpan.Zero };

        var exception = Assert.Throws<OptionsValidationException>(() => new FederatedServer(options, transport, Model(), FedAvg()));

        Assert.That(exception!.Failures, Has.Some.Contains("Rounds"));
        Assert.That(exception.Failures, Has.Some.Contains("FractionFit"));
        Assert.That(exception.Failures, Has.Some.Contains("MinFitClients (5) must not exceed MinAvailableClients (3)"));
        Assert.That(exception.Failures, Has.Some.Contains("RoundTimeout"));
    }

    [Test]
    public async Task A_cosine_schedule_sends_each_round_its_decayed_learning_rate_and_constant_sends_the_same_one()
    {
        async Task<double[]> RatesSent(LearningRateSchedule schedule)
        {
            var client = new ScriptedClient("a", 1f, 1);
            (InMemoryTransport transport, _) = Connect(("a", client), ("b", new ScriptedClient("b", 1f, 1)));
            var options = new FederatedServerOptions
            {
                Rounds = 4, MinFitClients = 2, MinAvailableClients = 2, LearningRate = 0.1, LearningRateSchedule = schedule,
            };
            var server = new FederatedServer(options, transport, Model(), FedAvg());
            await server.RunAsync();
            Assert.That(client.FitConfigs.Select(c => c.Round), Is.EqualTo(new[] { 1, 2, 3, 4 }));
            return client.FitConfigs.Select(c => c.LearningRate).ToArray();
        }

        double[] cosine = await RatesSent(LearningRateSchedule.Cosine);
        double[] constant = await RatesSent(LearningRateSchedule.Constant);

        // η·(1 + cos(π·(t − 1)/4))/2 for t = 1..4: 0.1, 0.0854, 0.05, 0.0146.
        Assert.That(cosine, Is.EqualTo(new[] { 0.1, 0.1 * (1 + Math.Sqrt(0.5)) / 2, 0.05, 0.1 * (1 - Math.Sqrt(0.5)) / 2 }).Within(1e-12));
        Assert.That(cosine, Is.Ordered.Descending.And.All.GreaterThan(0));
        Assert.That(constant, Is.All.EqualTo(0.1));
    }

    [Test]
    public void An_undefined_schedule_is_rejected_at_start_up_and_a_round_outside_the_run_has_no_rate()
    {
        (InMemoryTransport transport, _) = Connect();
        var options = new FederatedServerOptions { Rounds = 3, LearningRateSchedule = (LearningRateSchedule)7 };

        var exception = Assert.Throws<OptionsValidationException>(() => new FederatedServer(options, transport, Model(), FedAvg()));

        Assert.That(exception!.Failures, Has.Some.Contains("LearningRateSchedule (7) is not a defined schedule"));
        var valid = new FederatedServerOptions { Rounds = 3, LearningRateSchedule = LearningRateSchedule.Cosine };
        Assert.That(() => valid.LearningRateFor(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("between 1 and Rounds (3)"));
        Assert.That(() => valid.LearningRateFor(4), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
