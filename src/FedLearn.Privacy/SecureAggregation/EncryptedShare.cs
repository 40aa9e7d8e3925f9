namespace FedLearn.Privacy.SecureAggregation;

/// <summary>The shares of one client's two secrets for one neighbour, sealed with AES-GCM under their pairwise key.</summary>
/// <param name="From">Index of the client whose secrets these are.</param>
/// <param name="To">Index of the neighbour that will hold them.</param>
/// <param name="Ciphertext">Nonce, ciphertext and tag.</param>
public sealed record EncryptedShare(int From, int To, byte[] Ciphertext)
{
    internal long ByteSize => (2 * sizeof(int)) + Ciphertext.Length;
}
