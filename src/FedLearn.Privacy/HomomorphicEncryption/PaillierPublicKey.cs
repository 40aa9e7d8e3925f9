using System.Numerics;
using System.Security.Cryptography;

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
        byte[] bytes = new byte[(Bits + 7) / 8];
        _ = modulus.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: true);
        Fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>n.</summary>
    public BigInteger Modulus { get; }

    /// <summary>n².</summary>
    public BigInteger ModulusSquared { get; }

    /// <summary>Bits of n.</summary>
    public int Bits { get; }

    /// <summary>
    /// <c>sha256:</c> and the lower-case hex SHA-256 of n's big-endian bytes (⌈bits/8⌉ of them): names the key pair, so
    /// two parties can tell whether they hold the same federation's key without showing it.
    /// </summary>
    public string Fingerprint { get; }

    /// <summary>Bytes of a ciphertext (an element of Z_{n²}).</summary>
    public int CiphertextBytes => (int)((ModulusSquared.GetBitLength() + 7) / 8);
}
