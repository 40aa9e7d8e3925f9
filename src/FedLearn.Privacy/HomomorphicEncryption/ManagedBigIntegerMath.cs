using System.Numerics;
using System.Security.Cryptography;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>Big-integer math on <see cref="BigInteger"/>: portable, slower than GMP. Thread-safe.</summary>
public sealed class ManagedBigIntegerMath : IBigIntegerMath
{
    private static readonly int[] SmallPrimes = Enumerable.Range(3, 2000).Where(IsSmallPrime).ToArray();

    /// <summary>The shared instance.</summary>
    public static ManagedBigIntegerMath Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "managed";

    /// <inheritdoc />
    public BigInteger ModPow(BigInteger value, BigInteger exponent, BigInteger modulus) => BigInteger.ModPow(value, exponent, modulus);

    /// <inheritdoc />
    public BigInteger ModMultiply(BigInteger left, BigInteger right, BigInteger modulus) => left * right % modulus;

    /// <inheritdoc />
    public bool IsProbablePrime(BigInteger candidate)
    {
        if (candidate < 2)
        {
            return false;
        }

        foreach (int prime in SmallPrimes)
        {
            if (candidate == prime)
            {
                return true;
            }

            if (candidate % prime == 0)
            {
                return false;
            }
        }

        if (candidate.IsEven)
        {
            return candidate == 2;
        }

        // Miller–Rabin with 40 random bases: error below 4^-40.
        BigInteger d = candidate - 1;
        int s = 0;
        while (d.IsEven)
        {
            d >>= 1;
            s++;
        }

        int bytes = candidate.GetByteCount(isUnsigned: true);
        var buffer = new byte[bytes];
        for (int round = 0; round < 40; round++)
        {
            BigInteger a;
            do
            {
                RandomNumberGenerator.Fill(buffer);
                a = new BigInteger(buffer, isUnsigned: true) % candidate;
            }
            while (a < 2 || a > candidate - 2);

            BigInteger x = BigInteger.ModPow(a, d, candidate);
            if (x.IsOne || x == candidate - 1)
            {
                continue;
            }

            bool composite = true;
            for (int r = 1; r < s; r++)
            {
                x = x * x % candidate;
                if (x == candidate - 1)
                {
                    composite = false;
                    break;
                }
            }

            if (composite)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSmallPrime(int value)
    {
        for (int d = 2; d * d <= value; d++)
        {
            if (value % d == 0)
            {
                return false;
            }
        }

        return true;
    }
}
