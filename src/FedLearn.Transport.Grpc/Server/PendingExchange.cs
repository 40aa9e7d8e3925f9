using FedLearn.Transport.Grpc.Framing;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>One instruction sent (or to be sent) to a client, waiting for its reply.</summary>
internal sealed class PendingExchange(ulong id, ServerMessage message, OutgoingMessage encoded)
{
    public ulong Id { get; } = id;

    public ServerMessage Message { get; } = message;

    public OutgoingMessage Encoded { get; } = encoded;

    public TaskCompletionSource<ClientMessage> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
