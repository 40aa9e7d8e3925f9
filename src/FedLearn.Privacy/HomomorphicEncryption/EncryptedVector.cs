using System.Numerics;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>An encrypted integer vector: its ciphertexts (several values packed in each), its length and how many encryptions it sums.</summary>
public sealed class EncryptedVector
{
    /// <summary>Wraps ciphertexts.</summary>
    /// <param name="ciphertexts">The ciphertexts; the vector owns the array.</param>
    /// <param name="length">Number of plaintext values.</param>
    /// <param name="contributions">Encryptions summed in (counted by whoever adds, to refuse overflowing sums).</param>
    public EncryptedVector(BigInteger[] ciphertexts, int length, int contributions)
    {
        ArgumentNullException.ThrowIfNull(ciphertexts);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(contributions);
        Ciphertexts = ciphertexts;
        Length = length;
        Contributions = contributions;
    }

    /// <summary>The ciphertexts.</summary>
    public BigInteger[] Ciphertexts { get; }

    /// <summary>Number of plaintext values.</summary>
    public int Length { get; }

    /// <summary>Encryptions summed in.</summary>
    public int Contributions { get; }
}
