using System.Numerics;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>A Paillier public key: the modulus n = pq, with g = n + 1. All the server holds. Immutable, thread-safe.</summary>
public sealed class PaillierPublicKey
{
    /// <summary>Wraps a modulus.</summary>
    /// <exception cref="ArgumentException">The modulus is even or shorter than 256 bits.</exception>
    public PaillierPublicKey(BigInteger modulus)
    {
        if (modulus.IsEven || modulus.GetBitLength() < 256)
        {
            throw new ArgumentException($"a Paillier modulus is an odd number of at least 256 bits; got {modulus.GetBitLength()} bits.", nameof(modulus));
        }

        Modulus = modulus;
        ModulusSquared = modulus * modulus;
        Bits = (int)modulus.GetBitLength();
    }

    /// <summary>n.</summary>
    public BigInteger Modulus { get; }

    /// <summary>n².</summary>
    public BigInteger ModulusSquared { get; }

    /// <summary>Bits of n.</summary>
    public int Bits { get; }

    /// <summary>Bytes of a ciphertext (an element of Z_{n²}).</summary>
    public int CiphertextBytes => (int)((ModulusSquared.GetBitLength() + 7) / 8);
}
