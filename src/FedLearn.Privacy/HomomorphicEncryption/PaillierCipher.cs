using System.Numerics;
using System.Security.Cryptography;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// Paillier with g = n + 1: Enc(m) = (1 + n·m)·rⁿ mod n², Enc(a)·Enc(b) = Enc(a + b), Enc(a)^k = Enc(k·a); decryption
/// by the Chinese remainder theorem over p² and q². Thread-safe.
/// </summary>
internal sealed class PaillierCipher
{
    public PaillierCipher(PaillierPublicKey publicKey, IBigIntegerMath math)
    {
        PublicKey = publicKey;
        Math = math;
    }

    public PaillierPublicKey PublicKey { get; }

    public IBigIntegerMath Math { get; }

    /// <summary>A fresh rⁿ mod n² for a random unit r: the expensive part of encryption, precomputable.</summary>
    public BigInteger NewRandomizer()
    {
        BigInteger n = PublicKey.Modulus;
        var bytes = new byte[(PublicKey.Bits + 7) / 8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            BigInteger r = new BigInteger(bytes, isUnsigned: true) % n;
            if (r > 1 && BigInteger.GreatestCommonDivisor(r, n).IsOne)
            {
                return Math.ModPow(r, n, PublicKey.ModulusSquared);
            }
        }
    }

    /// <summary>Encrypts 0 ≤ <paramref name="plaintext"/> &lt; n with a precomputed randomizer.</summary>
    public BigInteger Encrypt(BigInteger plaintext, BigInteger randomizer)
    {
        if (plaintext.Sign < 0 || plaintext >= PublicKey.Modulus)
        {
            throw new ArgumentOutOfRangeException(nameof(plaintext), "a Paillier plaintext lies in [0, n).");
        }

        BigInteger gm = ((PublicKey.Modulus * plaintext) + 1) % PublicKey.ModulusSquared;
        return Math.ModMultiply(gm, randomizer, PublicKey.ModulusSquared);
    }

    public BigInteger Add(BigInteger left, BigInteger right) => Math.ModMultiply(left, right, PublicKey.ModulusSquared);

    public BigInteger MultiplyPlain(BigInteger ciphertext, BigInteger scalar) => Math.ModPow(ciphertext, scalar, PublicKey.ModulusSquared);

    public static BigInteger Decrypt(BigInteger ciphertext, PaillierPrivateKey key, IBigIntegerMath math)
    {
        BigInteger mp = PaillierPrivateKey.L(math.ModPow(ciphertext % key.PSquared, key.P - 1, key.PSquared), key.P) * key.HP % key.P;
        BigInteger mq = PaillierPrivateKey.L(math.ModPow(ciphertext % key.QSquared, key.Q - 1, key.QSquared), key.Q) * key.HQ % key.Q;
        BigInteger h = (mp - mq) * key.QInverseModP % key.P;
        if (h.Sign < 0)
        {
            h += key.P;
        }

        return mq + (h * key.Q);
    }
}
