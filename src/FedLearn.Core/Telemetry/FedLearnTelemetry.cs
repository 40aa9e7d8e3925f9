using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace FedLearn.Telemetry;

/// <summary>
/// The one <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/> every FedLearn package emits through,
/// both named <c>FedLearn</c>, with instruments named <c>fedlearn.&lt;area&gt;.&lt;name&gt;</c>. Subscribe with
/// OpenTelemetry (<c>AddMeter("FedLearn")</c>, <c>AddSource("FedLearn")</c>) or a <see cref="MeterListener"/>.
/// Never carries raw updates or private data.
/// </summary>
public static class FedLearnTelemetry
{
    /// <summary>The name of the meter and the activity source.</summary>
    public const string Name = "FedLearn";

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(Name, typeof(FedLearnTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>The activity source (one activity per round, child activities per stage).</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(FedLearnTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Wall time of each round, in seconds.</summary>
    public static Histogram<double> RoundDuration { get; } = Meter.CreateHistogram<double>("fedlearn.round.duration", "s", "Wall time of a federated round.");

    /// <summary>Clients sampled for training.</summary>
    public static Counter<long> ClientsSampled { get; } = Meter.CreateCounter<long>("fedlearn.round.clients.sampled", "{client}", "Clients sampled for a round.");

    /// <summary>Clients whose update arrived in time and was accepted.</summary>
    public static Counter<long> ClientsResponded { get; } = Meter.CreateCounter<long>("fedlearn.round.clients.responded", "{client}", "Clients that delivered a valid update in time.");

    /// <summary>Clients that failed, timed out or were rejected; tagged with <c>fedlearn.failure</c>.</summary>
    public static Counter<long> ClientsFailed { get; } = Meter.CreateCounter<long>("fedlearn.round.clients.failed", "{client}", "Clients that failed, timed out or were rejected.");

    /// <summary>Rounds completed; tagged with <c>fedlearn.outcome</c> (succeeded or failed).</summary>
    public static Counter<long> Rounds { get; } = Meter.CreateCounter<long>("fedlearn.round.count", "{round}", "Rounds run, by outcome.");

    /// <summary>Bytes the server sent to clients.</summary>
    public static Counter<long> BytesSent { get; } = Meter.CreateCounter<long>("fedlearn.transport.bytes.sent", "By", "Bytes sent by the server.");

    /// <summary>Bytes the server received from clients.</summary>
    public static Counter<long> BytesReceived { get; } = Meter.CreateCounter<long>("fedlearn.transport.bytes.received", "By", "Bytes received by the server.");

    /// <summary>Uplink bytes saved by compression: what the updates would have taken as dense float32 minus what was received.</summary>
    public static Counter<long> BytesSaved { get; } = Meter.CreateCounter<long>("fedlearn.transport.bytes.saved", "By", "Uplink bytes saved by compression against dense float32 updates.");

    /// <summary>Uplink compression ratio of each round (dense float32 bytes over received bytes; 1 for dense updates).</summary>
    public static Histogram<double> CompressionRatio { get; } = Meter.CreateHistogram<double>("fedlearn.compression.ratio", "{ratio}", "Dense float32 bytes over received bytes, per round.");

    /// <summary>Clients flagged by update screening (norms, z-scores, NaN, alignment); tagged with <c>fedlearn.excluded</c> (true when the flag excluded the update).</summary>
    public static Counter<long> ClientsFlagged { get; } = Meter.CreateCounter<long>("fedlearn.round.clients.flagged", "{client}", "Clients flagged by update screening.");

    /// <summary>Clients whose valid update was left out of the aggregate, by screening or by the robust aggregator.</summary>
    public static Counter<long> ClientsExcluded { get; } = Meter.CreateCounter<long>("fedlearn.round.clients.excluded", "{client}", "Valid updates left out of the aggregate by screening or the aggregator.");

    /// <summary>Loss of the global model after the last round; tagged with <c>fedlearn.evaluation</c>: training (clients' weighted mean), federated or central.</summary>
    public static Gauge<double> ModelLoss { get; } = Meter.CreateGauge<double>("fedlearn.model.loss", "1", "Loss of the global model after the last round, by evaluation.");

    /// <summary>Accuracy (in [0, 1]) of the global model after the last round; tagged with <c>fedlearn.evaluation</c> as <see cref="ModelLoss"/>.</summary>
    public static Gauge<double> ModelAccuracy { get; } = Meter.CreateGauge<double>("fedlearn.model.accuracy", "1", "Accuracy of the global model after the last round, by evaluation.");

    /// <summary>The last completed round.</summary>
    public static Gauge<long> LastRound { get; } = Meter.CreateGauge<long>("fedlearn.round.last", "{round}", "The last completed round.");

    /// <summary>
    /// Round-trip time of one server–client exchange (instruction sent until the reply arrived, local training
    /// included), tagged <c>fedlearn.reply</c> with the reply's kind.
    /// </summary>
    public static Histogram<double> ExchangeDuration { get; } = Meter.CreateHistogram<double>("fedlearn.client.exchange.duration", "s", "Round-trip time of one exchange with a client, training included.");

    /// <summary>
    /// Training loss of a client's last local training run, as the client reported it, tagged <c>client_id</c> (the
    /// log field <see cref="Logging.LogFields.ClientId"/>). A client process records its own
    /// (<see cref="MeteredLocalTrainer"/>); the server records every client's, for at most
    /// <see cref="Server.FederatedServerOptions.PerClientMetricsLimit"/> client ids.
    /// </summary>
    public static Gauge<double> ClientTrainingLoss { get; } = Meter.CreateGauge<double>("fedlearn.client.training.loss", "1", "Training loss of a client's last local training run, by client.");

    /// <summary>Training accuracy (in [0, 1]) of a client's last local training run, tagged <c>client_id</c> as <see cref="ClientTrainingLoss"/>; not recorded when the task has none.</summary>
    public static Gauge<double> ClientTrainingAccuracy { get; } = Meter.CreateGauge<double>("fedlearn.client.training.accuracy", "1", "Training accuracy of a client's last local training run, by client.");

    /// <summary>Training examples a client reported for its last local training run (its FedAvg weight), tagged <c>client_id</c> as <see cref="ClientTrainingLoss"/>.</summary>
    public static Gauge<long> ClientTrainingExamples { get; } = Meter.CreateGauge<long>("fedlearn.client.training.examples", "{example}", "Training examples behind a client's last local training run, by client.");

    /// <summary>ε spent so far by the released model under differential privacy, at the accountant's δ (tag <c>fedlearn.privacy.delta</c>).</summary>
    public static Gauge<double> PrivacyEpsilon { get; } = Meter.CreateGauge<double>("fedlearn.privacy.epsilon", "1", "Privacy budget spent so far (epsilon at the tagged delta).");
}
