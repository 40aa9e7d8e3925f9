using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 1 (server to client): the round's settings and the client's index; answer with two fresh public keys.</summary>
/// <param name="Round">The round.</param>
/// <param name="ClientIndex">The client's index in the round (1-based).</param>
/// <param name="Parameters">The round's settings.</param>
public sealed record AdvertiseKeysRequest(int Round, int ClientIndex, SecAggPlusParameters Parameters) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => 64;
}
