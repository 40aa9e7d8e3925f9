using FedLearn.Transport;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>The server asks a key-holding client to decrypt the encrypted sum of the round.</summary>
/// <param name="Round">The round.</param>
/// <param name="Sum">The encrypted sum.</param>
/// <param name="CiphertextBytes">Bytes per ciphertext, for accounting.</param>
public sealed record DecryptRequest(int Round, EncryptedVector Sum, int CiphertextBytes) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => (long)Sum.Ciphertexts.Length * CiphertextBytes;
}
