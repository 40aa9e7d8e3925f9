using System.Security.Cryptography;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// Shamir secret sharing over the prime field Z_p with p = 2^61 − 1. A byte secret is cut into 7-byte limbs, each shared
/// with its own random polynomial of degree threshold − 1; holder x receives the polynomials' values at x. Any
/// threshold shares give the secret back (Lagrange interpolation at 0); fewer reveal nothing about it.
/// Coefficients come from <see cref="RandomNumberGenerator"/>. Thread-safe (no state).
/// </summary>
internal static class ShamirSecretSharing
{
    /// <summary>The field's prime, 2^61 − 1.</summary>
    public const ulong Prime = (1UL << 61) - 1;

    private const int LimbBytes = 7;

    /// <summary>Limbs of a secret of <paramref name="secretLength"/> bytes.</summary>
    public static int LimbCount(int secretLength) => (secretLength + LimbBytes - 1) / LimbBytes;

    /// <summary>Splits <paramref name="secret"/> into one share per holder x (distinct, 1 to p − 1).</summary>
    /// <returns>Share i belongs to <paramref name="holders"/>[i]; each is <see cref="LimbCount"/> field elements.</returns>
    public static ulong[][] Split(ReadOnlySpan<byte> secret, int threshold, ReadOnlySpan<int> holders)
    {
        if (threshold < 1 || threshold > holders.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), $"threshold {threshold} must be between 1 and the {holders.Length} holders.");
        }

        int limbs = LimbCount(secret.Length);
        var shares = new ulong[holders.Length][];
        for (int h = 0; h < holders.Length; h++)
        {
            if (holders[h] <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(holders), $"holder x-coordinates must be positive, got {holders[h]}.");
            }

            shares[h] = new ulong[limbs];
        }

        Span<ulong> coefficients = stackalloc ulong[threshold];
        for (int limb = 0; limb < limbs; limb++)
        {
            coefficients[0] = ReadLimb(secret, limb);
            for (int c = 1; c < threshold; c++)
            {
                coefficients[c] = RandomElement();
            }

            for (int h = 0; h < holders.Length; h++)
            {
                // Horner's rule from the highest coefficient down.
                ulong x = (ulong)holders[h];
                ulong value = 0;
                for (int c = threshold - 1; c >= 0; c--)
                {
                    value = Add(Multiply(value, x), coefficients[c]);
                }

                shares[h][limb] = value;
            }
        }

        coefficients.Clear();
        return shares;
    }

    /// <summary>Reconstructs a secret of <paramref name="secretLength"/> bytes from shares at distinct x-coordinates.</summary>
    /// <exception cref="ArgumentException">The holders repeat, or a share has the wrong number of limbs.</exception>
    public static byte[] Combine(ReadOnlySpan<int> holders, IReadOnlyList<ulong[]> shares, int secretLength)
    {
        int limbs = LimbCount(secretLength);
        if (holders.Length != shares.Count || holders.Length == 0)
        {
            throw new ArgumentException($"{holders.Length} holders for {shares.Count} shares.", nameof(shares));
        }

        // Lagrange basis at 0: l_i = Π_{j≠i} x_j / (x_j − x_i).
        var basis = new ulong[holders.Length];
        for (int i = 0; i < holders.Length; i++)
        {
            ulong numerator = 1;
            ulong denominator = 1;
            for (int j = 0; j < holders.Length; j++)
            {
                if (i == j)
                {
                    continue;
                }

                if (holders[i] == holders[j])
                {
                    throw new ArgumentException($"holder {holders[i]} appears twice.", nameof(holders));
                }

                numerator = Multiply(numerator, (ulong)holders[j]);
                denominator = Multiply(denominator, Subtract((ulong)holders[j], (ulong)holders[i]));
            }

            basis[i] = Multiply(numerator, Inverse(denominator));
        }

        var secret = new byte[secretLength];
        for (int limb = 0; limb < limbs; limb++)
        {
            ulong value = 0;
            for (int i = 0; i < holders.Length; i++)
            {
                if (shares[i].Length != limbs)
                {
                    throw new ArgumentException($"a share has {shares[i].Length} limbs, expected {limbs}.", nameof(shares));
                }

                value = Add(value, Multiply(basis[i], shares[i][limb]));
            }

            WriteLimb(secret, limb, value);
        }

        return secret;
    }

    internal static ulong Add(ulong a, ulong b)
    {
        ulong sum = a + b;
        return sum >= Prime ? sum - Prime : sum;
    }

    internal static ulong Subtract(ulong a, ulong b) => a >= b ? a - b : a + Prime - b;

    internal static ulong Multiply(ulong a, ulong b)
    {
        // p = 2^61 − 1, so 2^61 ≡ 1: fold the high part onto the low part.
        UInt128 product = (UInt128)a * b;
        ulong folded = (ulong)(product & Prime) + (ulong)(product >> 61);
        return folded >= Prime ? folded - Prime : folded;
    }

    internal static ulong Inverse(ulong a)
    {
        if (a == 0)
        {
            throw new DivideByZeroException("zero has no inverse in the field.");
        }

        // Fermat: a^(p−2).
        ulong result = 1;
        ulong power = a;
        ulong exponent = Prime - 2;
        while (exponent > 0)
        {
            if ((exponent & 1) != 0)
            {
                result = Multiply(result, power);
            }

            power = Multiply(power, power);
            exponent >>= 1;
        }

        return result;
    }

    private static ulong RandomElement()
    {
        Span<byte> bytes = stackalloc byte[8];
        while (true)
        {
            RandomNumberGenerator.Fill(bytes);
            ulong value = BitConverter.ToUInt64(bytes) & Prime;
            if (value != Prime)
            {
                return value;
            }
        }
    }

    private static ulong ReadLimb(ReadOnlySpan<byte> secret, int limb)
    {
        ulong value = 0;
        int start = limb * LimbBytes;
        for (int b = Math.Min(secret.Length, start + LimbBytes) - 1; b >= start; b--)
        {
            value = (value << 8) | secret[b];
        }

        return value;
    }

    private static void WriteLimb(Span<byte> secret, int limb, ulong value)
    {
        int start = limb * LimbBytes;
        for (int b = start; b < Math.Min(secret.Length, start + LimbBytes); b++)
        {
            secret[b] = (byte)value;
            value >>= 8;
        }
    }
}
