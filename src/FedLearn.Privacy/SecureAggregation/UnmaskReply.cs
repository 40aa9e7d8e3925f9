using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 5 (survivor to server): the revealed shares.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round.</param>
/// <param name="Shares">The shares.</param>
public sealed record UnmaskReply(string ClientId, int Round, IReadOnlyList<RevealedShare> Shares) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => Shares.Sum(s => s.ByteSize);
}
