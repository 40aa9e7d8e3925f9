using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 2 (server to client): the public keys of the client's neighbours; answer with encrypted shares for each.</summary>
/// <param name="Round">The round.</param>
/// <param name="Neighbours">The neighbours' keys.</param>
public sealed record ShareKeysRequest(int Round, IReadOnlyList<NeighbourKeys> Neighbours) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => Neighbours.Sum(n => (long)sizeof(int) + n.EncryptionKey.Length + n.MaskingKey.Length);
}
