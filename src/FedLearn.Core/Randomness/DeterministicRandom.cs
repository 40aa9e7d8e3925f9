using System.Numerics;

namespace FedLearn;

/// <summary>
/// A small, fast, seedable pseudo-random generator (xoshiro256** seeded through SplitMix64) whose output is
/// fixed by its seed on every platform and .NET version, so simulations and checkpoints are reproducible.
/// Not cryptographically secure; never use it for masks or keys. Not thread-safe.
/// </summary>
/// <remarks>Blackman and Vigna, "Scrambled linear pseudorandom number generators", 2021.</remarks>
public sealed class DeterministicRandom
{
    private ulong _s0, _s1, _s2, _s3;
    private double? _spareGaussian;

    /// <summary>Creates a generator from a 64-bit seed.</summary>
    public DeterministicRandom(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix64(ref x);
        _s1 = SplitMix64(ref x);
        _s2 = SplitMix64(ref x);
        _s3 = SplitMix64(ref x);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform integer in [0, <paramref name="maxExclusive"/>), without modulo bias.</summary>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        // Lemire's multiply-shift with rejection.
        ulong range = (ulong)maxExclusive;
        ulong product = Math.BigMul(NextUInt64(), range, out ulong low);
        if (low < range)
        {
            ulong threshold = (0UL - range) % range;
            while (low < threshold)
            {
                product = Math.BigMul(NextUInt64(), range, out low);
            }
        }

        return (int)product;
    }

    /// <summary>A standard normal sample (Marsaglia's polar method).</summary>
    public double NextGaussian()
    {
        if (_spareGaussian is double spare)
        {
            _spareGaussian = null;
            return spare;
        }

        double u, v, s;
        do
        {
            u = (2.0 * NextDouble()) - 1.0;
            v = (2.0 * NextDouble()) - 1.0;
            s = (u * u) + (v * v);
        }
        while (s >= 1.0 || s == 0.0);

        double factor = Math.Sqrt(-2.0 * Math.Log(s) / s);
        _spareGaussian = v * factor;
        return u * factor;
    }

    /// <summary>A Gamma(shape, 1) sample (Marsaglia and Tsang 2000; shape below 1 by the boost u^(1/shape)).</summary>
    public double NextGamma(double shape)
    {
        if (!(shape > 0) || double.IsInfinity(shape))
        {
            throw new ArgumentOutOfRangeException(nameof(shape), shape, "The Gamma shape must be positive and finite.");
        }

        if (shape < 1)
        {
            double boost = Math.Pow(NextDouble() + double.Epsilon, 1.0 / shape);
            return NextGamma(shape + 1) * boost;
        }

        double d = shape - (1.0 / 3.0);
        double c = 1.0 / Math.Sqrt(9.0 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1.0 + (c * x);
            }
            while (v <= 0);

            v = v * v * v;
            double u = NextDouble();
            if (u < 1 - (0.0331 * x * x * x * x) || Math.Log(u) < (0.5 * x * x) + (d * (1 - v + Math.Log(v))))
            {
                return d * v;
            }
        }
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
