using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 2 (client to server): one encrypted share bundle per neighbour, for the server to forward.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round.</param>
/// <param name="Shares">One per neighbour.</param>
public sealed record ShareKeysReply(string ClientId, int Round, IReadOnlyList<EncryptedShare> Shares) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => Shares.Sum(s => s.ByteSize);
}
