using System.Diagnostics.Metrics;
using FedLearn.Telemetry;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>The transport's instruments on the shared FedLearn meter.</summary>
internal static class GrpcTransportTelemetry
{
    public static UpDownCounter<long> ConnectedClients { get; } = FedLearnTelemetry.Meter.CreateUpDownCounter<long>("fedlearn.transport.clients.connected", "{client}", "Clients with an open federation stream.");

    public static Counter<long> Connections { get; } = FedLearnTelemetry.Meter.CreateCounter<long>("fedlearn.transport.connections", "{connection}", "Federation streams opened, by whether they resumed a known client.");

    public static Counter<long> Dropouts { get; } = FedLearnTelemetry.Meter.CreateCounter<long>("fedlearn.transport.dropouts", "{connection}", "Streams ended by missed heartbeats or broken connections.");

    public static Counter<long> Rejections { get; } = FedLearnTelemetry.Meter.CreateCounter<long>("fedlearn.transport.rejections", "{message}", "Submissions refused, by reason.");

    public static Counter<long> ProtocolErrors { get; } = FedLearnTelemetry.Meter.CreateCounter<long>("fedlearn.transport.protocol.errors", "{stream}", "Streams ended because the client broke the protocol, by status code.");
}
