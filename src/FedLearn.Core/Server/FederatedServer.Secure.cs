using FedLearn.SecureAggregation;
using FedLearn.Transport;

namespace FedLearn.Server;

public sealed partial class FederatedServer
{
    /// <summary>
    /// Checks a training reply under secure aggregation: the same header checks as a plain update, but the payload is
    /// the protocol's and is left to <see cref="ISecureAggregationProtocol.AggregateAsync"/>.
    /// </summary>
    private static bool TryAcceptProtected(
        int round,
        string clientId,
        ClientMessage reply,
        int length,
        out ClientUpdate? update,
        out ClientFailure? failure)
    {
        update = null;
        failure = null;
        if (reply is ErrorReply error)
        {
            failure = new ClientFailure(clientId, ClientFailureKind.Error, error.Error);
            return false;
        }

        if (reply is not FitReply fit)
        {
            failure = new ClientFailure(clientId, ClientFailureKind.Rejected, $"expected a fit reply but got {reply.GetType().Name}.");
            return false;
        }

        ClientUpdate candidate = fit.Update;
        string? problem =
            candidate.ClientId != clientId ? $"the update claims to come from '{candidate.ClientId}'." :
            candidate.Round != round ? $"the update is for round {candidate.Round}, not {round}." :
            candidate.ExampleCount <= 0 ? $"the update reports {candidate.ExampleCount} training examples." :
            candidate.Payload.ElementCount != length ? $"the update has {candidate.Payload.ElementCount} values; the model has {length}." :
            candidate.Payload is DenseUpdatePayload or EncodedUpdatePayload ? "secure aggregation is on but the update is not protected." :
            null;
        if (problem is not null)
        {
            failure = new ClientFailure(clientId, ClientFailureKind.Rejected, problem);
            return false;
        }

        update = candidate;
        return true;
    }

    /// <summary>Lets a secure-aggregation protocol run its stages through the round's exchange rules.</summary>
    private sealed class SecureStages(FederatedServer server, int round) : ISecureAggregationStages
    {
        public async Task<SecureStageResult> ExchangeAsync(IReadOnlyList<string> clients, Func<string, ServerMessage> messageFor, int quorum, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(clients);
            ArgumentNullException.ThrowIfNull(messageFor);
            long bytesDown = 0;
            ServerMessage Counted(string clientId)
            {
                ServerMessage message = messageFor(clientId);
                Interlocked.Add(ref bytesDown, message.ByteSize);
                return message;
            }

            ExchangeResult result = await server.ExchangeAsync(round, [.. clients], Counted, quorum, notifyObservers: false, cancellationToken).ConfigureAwait(false);
            long bytesUp = result.Replies.Sum(r => r.Reply.ByteSize);
            return new SecureStageResult(result.Replies, result.Failures, Interlocked.Read(ref bytesDown), bytesUp);
        }
    }
}
