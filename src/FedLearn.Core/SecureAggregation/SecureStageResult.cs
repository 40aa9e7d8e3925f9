using FedLearn.Server;
using FedLearn.Transport;

namespace FedLearn.SecureAggregation;

/// <summary>What one stage exchange returned.</summary>
/// <param name="Replies">The replies that arrived, in the order of the stage's client list; may include <see cref="ErrorReply"/>.</param>
/// <param name="Failures">Clients that gave no reply (timeout, unavailable, exception).</param>
/// <param name="BytesDown">Bytes of the messages sent.</param>
/// <param name="BytesUp">Bytes of the replies received.</param>
public sealed record SecureStageResult(IReadOnlyList<(string ClientId, ClientMessage Reply)> Replies, IReadOnlyList<ClientFailure> Failures, long BytesDown, long BytesUp);
