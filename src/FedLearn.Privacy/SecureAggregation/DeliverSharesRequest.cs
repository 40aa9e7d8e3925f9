using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 3 (server to client): the encrypted shares the client's neighbours made for it.</summary>
/// <param name="Round">The round.</param>
/// <param name="Shares">Shares addressed to the client.</param>
public sealed record DeliverSharesRequest(int Round, IReadOnlyList<EncryptedShare> Shares) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => Shares.Sum(s => s.ByteSize);
}
