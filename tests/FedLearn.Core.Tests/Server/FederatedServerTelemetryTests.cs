using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FedLearn.Aggregation;
using FedLearn.Core.Tests.TestSupport;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Telemetry;
using FedLearn.Transport;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Server;

/// <summary>The model-quality gauges and the screening counters the dashboards read.</summary>
[TestFixture]
[NonParallelizable]
public sealed class FederatedServerTelemetryTests
{
    [Test]
    public async Task A_round_records_model_quality_by_evaluation_and_the_clients_screening_flagged_and_excluded()
    {
        var last = new ConcurrentDictionary<string, double>();
        var sums = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FedLearnTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        listener.Start();

        var transport = new InMemoryTransport();
        using IDisposable a = transport.Connect("scr-a", new ScriptedClient("scr-a", 1f, 1));
        using IDisposable b = transport.Connect("scr-b", new ScriptedClient("scr-b", 1f, 1));
        using IDisposable c = transport.Connect("scr-c", new ScriptedClient("scr-c", 1f, 1));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 3 };
        var pipeline = new ServerPipeline
        {
            Aggregator = new FederatedAveraging(),
            Optimizer = new FedAvgOptimizer(),
            Screener = new FlagScreener(),
            CentralEvaluator = new FixedEvaluator(new EvaluationMetrics(0.4, 0.875, 100)),
        };
        var server = new FederatedServer(options, transport, new ModelWeights([("w", [4])]), pipeline);

        FederatedRunResult run = await server.RunAsync();

        Assert.That(run.Rounds.Single().Succeeded, Is.True);
        Assert.That(last.GetValueOrDefault("fedlearn.model.accuracy|fedlearn.evaluation=central"), Is.EqualTo(0.875));
        Assert.That(last.GetValueOrDefault("fedlearn.model.loss|fedlearn.evaluation=central"), Is.EqualTo(0.4));
        Assert.That(last.ContainsKey("fedlearn.model.loss|fedlearn.evaluation=training"), Is.True, "the clients' training loss");
        Assert.That(last.GetValueOrDefault("fedlearn.round.last"), Is.EqualTo(1));
        // The screener flags scr-a (excluded) and scr-b (kept).
        Assert.That(sums.GetValueOrDefault("fedlearn.round.clients.flagged|fedlearn.excluded=True"), Is.GreaterThanOrEqualTo(1));
        Assert.That(sums.GetValueOrDefault("fedlearn.round.clients.flagged|fedlearn.excluded=False"), Is.GreaterThanOrEqualTo(1));
        Assert.That(sums.GetValueOrDefault("fedlearn.round.clients.excluded"), Is.GreaterThanOrEqualTo(1));

        // Every exchange's round-trip time, by reply kind.
        Assert.That(last.GetValueOrDefault("fedlearn.client.exchange.duration|fedlearn.reply=FitReply", -1), Is.GreaterThanOrEqualTo(0));

        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            string key = instrument.Name;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                key += $"|{tag.Key}={tag.Value}";
            }

            last[key] = value;
            sums.AddOrUpdate(key, value, (_, old) => old + value);
        }
    }

    private sealed class FlagScreener : IUpdateScreener
    {
        public IReadOnlyList<ClientFlag> Screen(int round, IReadOnlyList<WeightedUpdate> updates) =>
            [new ClientFlag("scr-a", 9, "test: excluded", Exclude: true), new ClientFlag("scr-b", 3, "test: kept", Exclude: false)];
    }

    private sealed class FixedEvaluator(EvaluationMetrics metrics) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) => Task.FromResult(metrics);
    }
}
