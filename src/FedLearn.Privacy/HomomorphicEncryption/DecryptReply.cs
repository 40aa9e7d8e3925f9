using FedLearn.Transport;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>The decrypted sum: the summed quantized values (weighted delta, then total weight) and the number of summands.</summary>
/// <param name="ClientId">The decrypting client.</param>
/// <param name="Round">The round.</param>
/// <param name="Sums">The summed values.</param>
/// <param name="Contributions">Number of encryptions in the sum, as the plaintext counts them.</param>
public sealed record DecryptReply(string ClientId, int Round, long[] Sums, int Contributions) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => (Sums.LongLength * sizeof(long)) + sizeof(int);
}
