using System.Runtime.CompilerServices;

namespace FedLearn.Compression.Quantization;

/// <summary>
/// Counter-based uniform random numbers for stochastic rounding: the draw for value j is a SplitMix64 hash of the
/// seed and j, so any value's draw is known without generating the ones before it (chunks can be processed in any
/// order and the bytes still depend only on the seed). Not for cryptography.
/// </summary>
internal static class StochasticNoise
{
    /// <summary>Mixes the context seed with a constant so this stream differs from other uses of the same seed.</summary>
    public static ulong StreamSeed(ulong seed) => Seeds.Derive(seed, 0x51_4E_54_5A);

    /// <summary>A uniform double in [0, 1) with 53 random bits for position <paramref name="position"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Uniform(ulong streamSeed, long position)
    {
        ulong z = streamSeed + ((ulong)position * 0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
