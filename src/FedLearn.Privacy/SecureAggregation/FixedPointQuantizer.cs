namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// Fixed-point encoding for summing in Z_modulus: a value in [−c, c] (clipped first) maps to the integer
/// (x + c)·q/(2c), rounded up or down at random with the probability that makes the rounding unbiased. A sum of m
/// encodings decodes as S·2c/q − m·c, exactly as long as m·q stays below the modulus. Thread-safe (no state).
/// </summary>
internal static class FixedPointQuantizer
{
    /// <summary>
    /// Encodes <paramref name="scale"/>·<paramref name="values"/> into <paramref name="destination"/> (same length), with the
    /// rounding randomness from <paramref name="rounding"/>.
    /// </summary>
    public static void Quantize(ReadOnlySpan<float> values, double scale, double clip, long levels, MaskGenerator rounding, Span<uint> destination)
    {
        if (destination.Length != values.Length)
        {
            throw new ArgumentException($"destination has {destination.Length} slots for {values.Length} values.", nameof(destination));
        }

        // The random words are drawn into the destination first and replaced by the encodings one by one.
        rounding.Fill(destination);
        double step = levels / (2 * clip);
        for (int i = 0; i < values.Length; i++)
        {
            double x = Math.Clamp(scale * values[i], -clip, clip);
            double level = (x + clip) * step;
            double floor = Math.Floor(level);
            double uniform = destination[i] * (1.0 / 4294967296.0);
            long encoded = (long)floor + (uniform < level - floor ? 1 : 0);
            destination[i] = (uint)Math.Min(encoded, levels);
        }
    }

    /// <summary>Decodes a sum of <paramref name="count"/> encodings into <paramref name="destination"/>, each value divided by <paramref name="divisor"/>.</summary>
    public static void DequantizeSum(ReadOnlySpan<uint> sums, int count, double clip, long levels, double divisor, Span<float> destination)
    {
        if (destination.Length != sums.Length)
        {
            throw new ArgumentException($"destination has {destination.Length} slots for {sums.Length} sums.", nameof(destination));
        }

        double unit = 2 * clip / levels;
        double offset = count * clip;
        for (int i = 0; i < sums.Length; i++)
        {
            destination[i] = (float)(((sums[i] * unit) - offset) / divisor);
        }
    }
}
