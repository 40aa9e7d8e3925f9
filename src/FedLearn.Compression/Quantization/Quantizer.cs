using System.Numerics.Tensors;

namespace FedLearn.Compression.Quantization;

/// <summary>
/// The quantization kernels: values to integer codes plus one scale per chunk, and back. Encoder and decoder share
/// <see cref="Dequantize"/>, so what error feedback believes was sent is bit-for-bit what the server decodes.
/// Scales are held as two doubles per chunk: (min, max) for MinMax, (norm, 0) for Norm, (mean |x|, 0) for ScaledSign.
/// Grid arithmetic is in double so no range of finite floats can overflow it. The loops here are the scalar form and
/// handle the tails; the <c>Vector256</c> bodies in Quantizer.Vector.cs do the same double arithmetic in the same order
/// (no fused multiply-add), so codes and decoded values are bit-identical with or without hardware intrinsics, except
/// that chunk norms and mean magnitudes are summed in four lanes. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Error bounds per value, with M the largest magnitude the chunk's grid can represent (max(|min|, |max|) for MinMax,
/// the norm for Norm) and the final rounding to float32 accounted by ε = 2^-23·M + float.Epsilon (the second term
/// covers subnormal results, whose spacing is absolute):
/// MinMax nearest ≤ Δ/2 + ε, stochastic &lt; Δ + ε with Δ = (max − min)/(2^b − 1);
/// Norm nearest ≤ ‖x‖₂/(2s) + ε, stochastic &lt; ‖x‖₂/s + ε with s = 2^(b−1) − 1;
/// ScaledSign: per chunk of d values, ‖x̂ − x‖₂² = ‖x‖₂² − ‖x‖₁²/d + d·e², e the float32 rounding of the scale
/// ‖x‖₁/d, so never above ‖x‖₂² beyond that rounding.
/// </remarks>
internal static partial class Quantizer
{
    /// <summary>Quantizes <paramref name="values"/> into <paramref name="codes"/> and two scales per chunk.</summary>
    /// <param name="values">Finite values.</param>
    /// <param name="spec">The stage settings.</param>
    /// <param name="streamSeed">Seed of the stochastic-rounding stream (ignored for nearest rounding).</param>
    /// <param name="codes">One code per value.</param>
    /// <param name="scales">Two per chunk.</param>
    public static void Quantize(ReadOnlySpan<float> values, QuantizerSpec spec, ulong streamSeed, Span<uint> codes, Span<double> scales)
    {
        for (int chunk = 0, start = 0; start < values.Length; chunk++, start += spec.ChunkSize)
        {
            int length = Math.Min(spec.ChunkSize, values.Length - start);
            ReadOnlySpan<float> x = values.Slice(start, length);
            Span<uint> c = codes.Slice(start, length);
            bool stochastic = spec.Rounding == QuantizationRounding.Stochastic;
            switch (spec.Scheme)
            {
                case QuantizationScheme.MinMax:
                    float min = TensorPrimitives.Min(x);
                    float max = TensorPrimitives.Max(x);
                    scales[2 * chunk] = min;
                    scales[(2 * chunk) + 1] = max;
                    QuantizeMinMax(x, min, max, spec.Bits, stochastic, streamSeed, start, c);
                    break;
                case QuantizationScheme.Norm:
                    double norm = Norm(x);
                    scales[2 * chunk] = norm;
                    scales[(2 * chunk) + 1] = 0;
                    QuantizeNorm(x, norm, spec.Bits, stochastic, streamSeed, start, c);
                    break;
                default:
                    // Rounded to float32 here because that is what travels; the decoder sees the same value.
                    scales[2 * chunk] = (float)(SumOfMagnitudes(x) / length);
                    scales[(2 * chunk) + 1] = 0;
                    for (int i = SignVector(x, c); i < x.Length; i++)
                    {
                        c[i] = x[i] >= 0 ? 1u : 0u;
                    }

                    break;
            }
        }
    }

    /// <summary>Decodes <paramref name="codes"/> with their chunk scales into <paramref name="destination"/>.</summary>
    public static void Dequantize(ReadOnlySpan<uint> codes, QuantizerSpec spec, ReadOnlySpan<double> scales, Span<float> destination)
    {
        for (int chunk = 0, start = 0; start < codes.Length; chunk++, start += spec.ChunkSize)
        {
            int length = Math.Min(spec.ChunkSize, codes.Length - start);
            ReadOnlySpan<uint> c = codes.Slice(start, length);
            Span<float> y = destination.Slice(start, length);
            double a = scales[2 * chunk];
            switch (spec.Scheme)
            {
                case QuantizationScheme.MinMax:
                    double step = (scales[(2 * chunk) + 1] - a) / LevelCount(spec.Bits);
                    for (int i = DequantizeMinMaxVector(c, a, step, y); i < c.Length; i++)
                    {
                        y[i] = (float)(a + (c[i] * step));
                    }

                    break;
                case QuantizationScheme.Norm:
                    int magnitudeBits = spec.Bits - 1;
                    uint magnitudeMask = (uint)((1UL << magnitudeBits) - 1);
                    double unit = a / magnitudeMask;
                    for (int i = DequantizeNormVector(c, magnitudeBits, unit, y); i < c.Length; i++)
                    {
                        // Rounding a near-maximal value up a level may pass float.MaxValue; clamp so the result stays finite.
                        // Signs are random, so the sign goes in by bit arithmetic rather than an unpredictable branch.
                        float magnitude = (float)Math.Min((c[i] & magnitudeMask) * unit, float.MaxValue);
                        y[i] = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(magnitude) | (int)((c[i] >> magnitudeBits) << 31));
                    }

                    break;
                default:
                    int scaleBits = BitConverter.SingleToInt32Bits((float)a);
                    for (int i = DequantizeSignVector(c, scaleBits, y); i < c.Length; i++)
                    {
                        // Code 1 is +scale, code 0 is −scale: set the sign bit from the inverted code, without a branch.
                        y[i] = BitConverter.Int32BitsToSingle(scaleBits | (int)((c[i] ^ 1u) << 31));
                    }

                    break;
            }
        }
    }

    /// <summary>2^b − 1 as a double (exact for b ≤ 32).</summary>
    public static double LevelCount(int bits) => (double)((1UL << bits) - 1);

    private static void QuantizeMinMax(ReadOnlySpan<float> x, double min, double max, int bits, bool stochastic, ulong streamSeed, long offset, Span<uint> codes)
    {
        double levels = LevelCount(bits);
        double range = max - min;
        double inverse = range > 0 ? levels / range : 0;
        if (!stochastic)
        {
            for (int i = MinMaxNearestVector(x, min, inverse, levels, codes); i < x.Length; i++)
            {
                double level = Math.Floor(((x[i] - min) * inverse) + 0.5);
                codes[i] = (uint)Math.Min(level, levels);
            }

            return;
        }

        for (int i = MinMaxStochasticVector(x, min, inverse, levels, streamSeed, offset, codes); i < x.Length; i++)
        {
            double level = Math.Floor(((x[i] - min) * inverse) + StochasticNoise.Uniform(streamSeed, offset + i));
            codes[i] = (uint)Math.Clamp(level, 0, levels);
        }
    }

    private static void QuantizeNorm(ReadOnlySpan<float> x, double norm, int bits, bool stochastic, ulong streamSeed, long offset, Span<uint> codes)
    {
        double steps = LevelCount(bits - 1);
        double inverse = norm > 0 ? steps / norm : 0;
        uint signBit = 1u << (bits - 1);
        for (int i = NormVector(x, inverse, steps, signBit, stochastic, streamSeed, offset, codes); i < x.Length; i++)
        {
            double t = Math.Abs((double)x[i]) * inverse;
            double noise = stochastic ? StochasticNoise.Uniform(streamSeed, offset + i) : 0.5;
            uint level = (uint)Math.Min(Math.Floor(t + noise), steps);
            codes[i] = x[i] < 0 ? level | signBit : level;
        }
    }

    private static double Norm(ReadOnlySpan<float> x)
    {
        double sum = SumOfSquaresVector(x, out int i);
        for (; i < x.Length; i++)
        {
            sum += (double)x[i] * x[i];
        }

        return Math.Sqrt(sum);
    }

    private static double SumOfMagnitudes(ReadOnlySpan<float> x)
    {
        double sum = SumOfMagnitudesVector(x, out int i);
        for (; i < x.Length; i++)
        {
            sum += Math.Abs(x[i]);
        }

        return sum;
    }
}
