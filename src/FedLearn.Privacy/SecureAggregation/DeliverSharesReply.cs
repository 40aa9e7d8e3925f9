using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 3 (client to server): the shares were decrypted and kept; the client is ready to train and mask.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round.</param>
/// <param name="Accepted">Number of neighbours whose shares it holds (and with whom it will mask).</param>
public sealed record DeliverSharesReply(string ClientId, int Round, int Accepted) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => sizeof(int);
}
