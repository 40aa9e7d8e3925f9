using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using FedLearn.Aggregation;
using FedLearn.Core.Tests.TestSupport;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Telemetry;
using FedLearn.Transport;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Telemetry;

[TestFixture]
[NonParallelizable]
public sealed class FedLearnTelemetryTests
{
    [Test]
    public async Task A_round_emits_duration_client_counts_bytes_and_an_activity()
    {
        var measurements = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FedLearnTelemetry.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => measurements.AddOrUpdate(Key(instrument, tags), value, (_, old) => old + value));
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => measurements.AddOrUpdate(Key(instrument, tags), value, (_, old) => old + value));
        listener.Start();

        var activities = new ConcurrentBag<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == FedLearnTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activities.Add,
        };
        ActivitySource.AddActivityListener(activityListener);

        var transport = new InMemoryTransport();
        using IDisposable a = transport.Connect("tel-a", new ScriptedClient("tel-a", 1f, 1));
        using IDisposable b = transport.Connect("tel-b", new ScriptedClient("tel-b", 1f, 1));
        using IDisposable c = transport.Connect("tel-c", new ScriptedClient("tel-c", 1f, 1, ClientBehaviour.Throws));
        var options = new FederatedServerOptions { Rounds = 1, MinFitClients = 2, MinAvailableClients = 3 };
        var server = new FederatedServer(options, transport, new ModelWeights([("w", [10])]), new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer() });

        await server.RunAsync();
        listener.RecordObservableInstruments();

        Assert.That(measurements.GetValueOrDefault("fedlearn.round.clients.sampled"), Is.GreaterThanOrEqualTo(3));
        Assert.That(measurements.GetValueOrDefault("fedlearn.round.clients.responded"), Is.GreaterThanOrEqualTo(2));
        Assert.That(measurements.GetValueOrDefault("fedlearn.round.clients.failed|fedlearn.failure=error"), Is.GreaterThanOrEqualTo(1));
        Assert.That(measurements.GetValueOrDefault("fedlearn.transport.bytes.sent"), Is.GreaterThanOrEqualTo(3 * 10 * sizeof(float)));
        Assert.That(measurements.GetValueOrDefault("fedlearn.transport.bytes.received"), Is.GreaterThanOrEqualTo(2 * 10 * sizeof(float)));
        Assert.That(measurements.Keys, Has.Some.StartsWith("fedlearn.round.duration|fedlearn.outcome=succeeded"));
        Assert.That(measurements.GetValueOrDefault("fedlearn.compression.ratio"), Is.GreaterThanOrEqualTo(1.0), "dense updates have ratio 1");
        Assert.That(measurements.ContainsKey("fedlearn.transport.bytes.saved"), Is.True);
        Assert.That(activities.Where(x => x.OperationName == "fedlearn.round").Select(x => x.GetTagItem("fedlearn.round")), Has.Some.EqualTo(1));
    }

    private static string Key(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        string key = instrument.Name;
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            key += $"|{tag.Key}={tag.Value}";
        }

        return key;
    }
}
