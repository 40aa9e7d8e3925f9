using System.Numerics;
using System.Security.Cryptography;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// A Paillier secret key (the primes p and q) with what CRT decryption precomputes. Held by the clients only, never by
/// the server (as in deployments where the clients share one key and the server aggregates ciphertexts). Immutable,
/// thread-safe.
/// </summary>
/// <remarks>Paillier, "Public-Key Cryptosystems Based on Composite Degree Residuosity Classes", EUROCRYPT 1999.</remarks>
public sealed class PaillierPrivateKey
{
    internal PaillierPrivateKey(BigInteger p, BigInteger q, IBigIntegerMath math)
    {
        if (p == q)
        {
            throw new ArgumentException("the two primes must differ.", nameof(q));
        }

        P = p;
        Q = q;
        PublicKey = new PaillierPublicKey(p * q);
        PSquared = p * p;
        QSquared = q * q;
        BigInteger g = PublicKey.Modulus + 1;
        HP = ModInverse(L(math.ModPow(g, p - 1, PSquared), p), p);
        HQ = ModInverse(L(math.ModPow(g, q - 1, QSquared), q), q);
        QInverseModP = ModInverse(q % p, p);
    }

    /// <summary>The matching public key.</summary>
    public PaillierPublicKey PublicKey { get; }

    internal BigInteger P { get; }

    internal BigInteger Q { get; }

    internal BigInteger PSquared { get; }

    internal BigInteger QSquared { get; }

    internal BigInteger HP { get; }

    internal BigInteger HQ { get; }

    internal BigInteger QInverseModP { get; }

    /// <summary>Generates a key whose modulus has <paramref name="bits"/> bits from two random primes of half that size.</summary>
    /// <param name="bits">2048 or 3072 for use; at least 512 (smaller keys exist only to test quickly).</param>
    /// <param name="math">The big-integer backend; <see cref="BigIntegerMath.Best"/> when <c>null</c>.</param>
    public static PaillierPrivateKey Generate(int bits, IBigIntegerMath? math = null)
    {
        if (bits < 512 || bits % 2 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bits), $"a Paillier modulus has an even number of bits, at least 512 (2048 or 3072 in use); got {bits}.");
        }

        math ??= BigIntegerMath.Best();
        while (true)
        {
            BigInteger p = RandomPrime(bits / 2, math);
            BigInteger q = RandomPrime(bits / 2, math);
            if (p != q && (p * q).GetBitLength() == bits && BigInteger.GreatestCommonDivisor(p * q, (p - 1) * (q - 1)).IsOne)
            {
                return new PaillierPrivateKey(p, q, math);
            }
        }
    }

    internal static BigInteger L(BigInteger x, BigInteger divisor) => (x - 1) / divisor;

    internal static BigInteger ModInverse(BigInteger value, BigInteger modulus)
    {
        // Extended Euclid.
        BigInteger a = ((value % modulus) + modulus) % modulus;
        BigInteger m = modulus;
        BigInteger x0 = 0;
        BigInteger x1 = 1;
        while (a > 1)
        {
            if (m.IsZero)
            {
                throw new ArithmeticException("the value has no inverse.");
            }

            BigInteger quotient = a / m;
            (a, m) = (m, a % m);
            (x0, x1) = (x1 - (quotient * x0), x0);
        }

        if (a != 1)
        {
            throw new ArithmeticException("the value has no inverse.");
        }

        return ((x1 % modulus) + modulus) % modulus;
    }

    private static BigInteger RandomPrime(int bits, IBigIntegerMath math)
    {
        var bytes = new byte[(bits + 7) / 8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            var candidate = new BigInteger(bytes, isUnsigned: true);
            candidate &= (BigInteger.One << bits) - 1;
            // The top two bits set make the product exactly 2·bits long; the low bit makes it odd.
            candidate |= (BigInteger.One << (bits - 1)) | (BigInteger.One << (bits - 2)) | BigInteger.One;
            if (math.IsProbablePrime(candidate))
            {
                return candidate;
            }
        }
    }
}
