using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FedLearn.Aggregation;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Telemetry;
using FedLearn.Transport;
using Microsoft.Extensions.Logging;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Telemetry;

/// <summary>
/// Per-client training metrics: the server records each client's reported loss, accuracy and examples under a
/// <c>client_id</c> tag for up to <see cref="FederatedServerOptions.PerClientMetricsLimit"/> ids and says once when
/// it stops adding ids; a client records its own through <see cref="MeteredLocalTrainer"/>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ClientTrainingTelemetryTests
{
    private const string Loss = "fedlearn.client.training.loss";
    private const string Accuracy = "fedlearn.client.training.accuracy";
    private const string Examples = "fedlearn.client.training.examples";

    private readonly ConcurrentDictionary<(string Instrument, string ClientId), double> _last = new();
    private MeterListener _listener = null!;

    [SetUp]
    public void Listen()
    {
        _last.Clear();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == FedLearnTelemetry.Name && instrument.Name.StartsWith("fedlearn.client.training.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    [TearDown]
    public void StopListening() => _listener.Dispose();

    [Test]
    public async Task The_server_records_each_clients_reported_loss_accuracy_and_examples_under_its_id()
    {
        var transport = new InMemoryTransport();
        using IDisposable a = transport.Connect("ctm-a", new ReportingClient("ctm-a", loss: 0.25, accuracy: 0.9, examples: 120));
        using IDisposable b = transport.Connect("ctm-b", new ReportingClient("ctm-b", loss: 1.5, accuracy: 0.4, examples: 30));
        using IDisposable c = transport.Connect("ctm-c", new ReportingClient("ctm-c", loss: 0.75, accuracy: double.NaN, examples: 7));

        await Server(transport, clients: 3, limit: ServerDefaults.PerClientMetricsLimit).RunAsync();

        Assert.Multiple(() =>
        {
            Assert.That(_last[(Loss, "ctm-a")], Is.EqualTo(0.25));
            Assert.That(_last[(Accuracy, "ctm-a")], Is.EqualTo(0.9));
            Assert.That(_last[(Examples, "ctm-a")], Is.EqualTo(120));
            Assert.That(_last[(Loss, "ctm-b")], Is.EqualTo(1.5));
            Assert.That(_last[(Accuracy, "ctm-b")], Is.EqualTo(0.4));
            Assert.That(_last[(Examples, "ctm-b")], Is.EqualTo(30));
            Assert.That(_last[(Loss, "ctm-c")], Is.EqualTo(0.75));
            Assert.That(_last.ContainsKey((Accuracy, "ctm-c")), Is.False, "a task without accuracy records none (NaN would poison the gauge)");
            Assert.That(_last[(Examples, "ctm-c")], Is.EqualTo(7));
        });
    }

    [Test]
    public async Task Beyond_the_limit_no_new_client_id_is_recorded_and_the_log_says_so_once()
    {
        var transport = new InMemoryTransport();
        using IDisposable a = transport.Connect("lim-a", new ReportingClient("lim-a", 0.5, 0.5, 10));
        using IDisposable b = transport.Connect("lim-b", new ReportingClient("lim-b", 0.6, 0.5, 10));
        using IDisposable c = transport.Connect("lim-c", new ReportingClient("lim-c", 0.7, 0.5, 10));
        var logger = new CollectingLogger();

        FederatedRunResult run = await Server(transport, clients: 3, limit: 2, logger, rounds: 2).RunAsync();

        string[] recorded = _last.Keys.Where(k => k.Instrument == Loss && k.ClientId.StartsWith("lim-", StringComparison.Ordinal)).Select(k => k.ClientId).ToArray();
        Assert.That(run.Rounds.Select(r => r.Aggregated.Count), Is.All.EqualTo(3), "the cap leaves the round itself alone");
        Assert.That(recorded, Has.Length.EqualTo(2), "two ids, the limit");
        Assert.That(recorded, Is.Unique);
        string[] warnings = logger.Messages.Where(m => m.Contains("PerClientMetricsLimit", StringComparison.Ordinal)).ToArray();
        Assert.That(warnings, Has.Length.EqualTo(1), "said once, over two rounds");
        string leftOut = new[] { "lim-a", "lim-b", "lim-c" }.Except(recorded).Single();
        Assert.That(warnings[0], Does.Contain("limited to 2 client ids").And.Contain(leftOut));
    }

    [Test]
    public async Task A_limit_of_zero_records_no_client_and_logs_nothing()
    {
        var transport = new InMemoryTransport();
        using IDisposable a = transport.Connect("off-a", new ReportingClient("off-a", 0.5, 0.5, 10));
        using IDisposable b = transport.Connect("off-b", new ReportingClient("off-b", 0.6, 0.5, 10));
        var logger = new CollectingLogger();

        await Server(transport, clients: 2, limit: 0, logger).RunAsync();

        Assert.That(_last.Keys.Where(k => k.ClientId.StartsWith("off-", StringComparison.Ordinal)), Is.Empty);
        Assert.That(logger.Messages.Where(m => m.Contains("PerClientMetricsLimit", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void A_negative_limit_is_refused_when_the_server_is_built()
    {
        var options = new FederatedServerOptions { PerClientMetricsLimit = -1 };

        Assert.That(
            () => new FederatedServer(options, new InMemoryTransport(), new ModelWeights([("w", [2])]), new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer() }),
            Throws.InstanceOf<Microsoft.Extensions.Options.OptionsValidationException>().With.Message.Contains("PerClientMetricsLimit"));
    }

    [Test]
    public async Task A_metered_trainer_records_its_clients_training_run_and_returns_it_unchanged()
    {
        var metrics = new TrainingMetrics(0.125, 0.75, 640, 20, TimeSpan.FromMilliseconds(3));
        var inner = new FixedTrainer(metrics);
        var trainer = new MeteredLocalTrainer(inner, "own-client-3");
        var weights = new ModelWeights([("w", [3])]);

        LocalFitResult result = await trainer.FitAsync(weights, new FitConfig { Round = 4 }, CancellationToken.None);
        EvaluationMetrics evaluation = await trainer.EvaluateAsync(weights, CancellationToken.None);

        Assert.That(result, Is.SameAs(inner.LastResult));
        Assert.That(evaluation, Is.SameAs(FixedTrainer.Evaluation));
        Assert.That(_last[(Loss, "own-client-3")], Is.EqualTo(0.125));
        Assert.That(_last[(Accuracy, "own-client-3")], Is.EqualTo(0.75));
        Assert.That(_last[(Examples, "own-client-3")], Is.EqualTo(640));
        Assert.That(() => new MeteredLocalTrainer(inner, " "), Throws.ArgumentException);
    }

    private static FederatedServer Server(InMemoryTransport transport, int clients, int limit, ILogger<FederatedServer>? logger = null, int rounds = 1) => new(
        new FederatedServerOptions { Rounds = rounds, MinFitClients = clients, MinAvailableClients = clients, PerClientMetricsLimit = limit },
        transport,
        new ModelWeights([("w", [4])]),
        new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer() },
        logger);

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string? clientId = null;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            if (tag.Key == "client_id")
            {
                clientId = tag.Value as string;
            }
        }

        Assert.That(clientId, Is.Not.Null, $"{instrument.Name} was recorded without a client_id tag");
        _last[(instrument.Name, clientId!)] = value;
    }

    /// <summary>A client whose update is zeros and whose training report is the given numbers.</summary>
    private sealed class ReportingClient(string id, double loss, double accuracy, long examples) : IClientMessageHandler
    {
        public Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken)
        {
            var fit = (FitInstruction)message;
            var metrics = new TrainingMetrics(loss, accuracy, examples, 1, TimeSpan.FromMilliseconds(1));
            return Task.FromResult<ClientMessage>(new FitReply(new ClientUpdate(id, fit.Round, examples, new DenseUpdatePayload(new float[fit.Weights.Length]), metrics)));
        }
    }

    private sealed class FixedTrainer(TrainingMetrics metrics) : ILocalTrainer
    {
        public static readonly EvaluationMetrics Evaluation = new(0.3, 0.7, 50);

        public LocalFitResult? LastResult { get; private set; }

        public Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
        {
            LastResult = new LocalFitResult(globalWeights.Clone(), metrics);
            return Task.FromResult(LastResult);
        }

        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => Task.FromResult(Evaluation);
    }

    private sealed class CollectingLogger : ILogger<FederatedServer>
    {
        public ConcurrentQueue<string> Messages { get; } = new();

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Enqueue(formatter(state, exception));
    }
}
