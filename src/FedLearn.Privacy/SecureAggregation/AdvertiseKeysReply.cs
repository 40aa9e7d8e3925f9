using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>SecAgg+ stage 1 (client to server): the client's two public keys for this round.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round.</param>
/// <param name="EncryptionKey">P-256 public key for the shares.</param>
/// <param name="MaskingKey">P-256 public key for the pairwise masks.</param>
public sealed record AdvertiseKeysReply(string ClientId, int Round, byte[] EncryptionKey, byte[] MaskingKey) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => EncryptionKey.Length + MaskingKey.Length;
}
