using FedLearn.Transport;

namespace FedLearn.SecureAggregation;

/// <summary>
/// One request/reply exchange of a round with several clients at once, under the round's deadline and straggler rules
/// (the same ones the training stage uses). Given by the server to an <see cref="ISecureAggregationProtocol"/>.
/// </summary>
public interface ISecureAggregationStages
{
    /// <summary>Sends <paramref name="messageFor"/>(id) to each client and collects the replies.</summary>
    /// <param name="clients">The clients of the stage.</param>
    /// <param name="messageFor">The message for one client.</param>
    /// <param name="quorum">Replies after which the straggler grace period (if any) starts.</param>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>The replies (error replies included) and the clients that gave none.</returns>
    Task<SecureStageResult> ExchangeAsync(IReadOnlyList<string> clients, Func<string, ServerMessage> messageFor, int quorum, CancellationToken cancellationToken);
}
