using FedLearn.Compression.Quantization;
using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.Wire;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Quantization;

/// <summary>
/// The vectorized quantization and packing loops against the plain formulas, for every length from 0 to 300 (every
/// tail length of the eight- and 32-code blocks): the same codes, the same decoded floats bit for bit, the same packed
/// bytes as the generic bit writer. Run the suite once with DOTNET_EnableHWIntrinsic=0 to cover the scalar loops alone.
/// </summary>
public sealed class QuantizerScalarReferenceTests
{
    private static readonly int[] Lengths = Enumerable.Range(0, 301).ToArray();

    [TestCase(QuantizationScheme.MinMax, 8, QuantizationRounding.Nearest)]
    [TestCase(QuantizationScheme.MinMax, 4, QuantizationRounding.Stochastic)]
    [TestCase(QuantizationScheme.MinMax, 32, QuantizationRounding.Nearest)]
    [TestCase(QuantizationScheme.MinMax, 1, QuantizationRounding.Stochastic)]
    [TestCase(QuantizationScheme.Norm, 4, QuantizationRounding.Stochastic)]
    [TestCase(QuantizationScheme.Norm, 8, QuantizationRounding.Nearest)]
    [TestCase(QuantizationScheme.Norm, 32, QuantizationRounding.Nearest)]
    [TestCase(QuantizationScheme.ScaledSign, 1, QuantizationRounding.Nearest)]
    public void Codes_and_decoded_values_equal_the_scalar_formulas_for_every_length(QuantizationScheme scheme, int bits, QuantizationRounding rounding)
    {
        var spec = new QuantizerSpec(scheme, bits, rounding, 97);
        foreach (int length in Lengths)
        {
            float[] x = Mixed(length, (ulong)length);
            x.AsSpan(0, Math.Min(length, 3)).Clear(); // zeros, and −0 next, exercise the sign rule
            if (length > 3)
            {
                x[3] = -0f;
            }

            ulong streamSeed = StochasticNoise.StreamSeed((ulong)length);
            uint[] codes = new uint[length];
            double[] scales = new double[2 * spec.ChunkCount(length)];
            Quantizer.Quantize(x, spec, streamSeed, codes, scales);
            float[] decoded = new float[length];
            Quantizer.Dequantize(codes, spec, scales, decoded);

            for (int chunk = 0, start = 0; start < length; chunk++, start += spec.ChunkSize)
            {
                int count = Math.Min(spec.ChunkSize, length - start);
                for (int i = start; i < start + count; i++)
                {
                    uint expected = ReferenceCode(spec, x, start, count, i, scales[2 * chunk], streamSeed);
                    Assert.That(codes[i], Is.EqualTo(expected), $"code {i} of length {length}");
                    float expectedValue = ReferenceValue(spec, codes[i], scales[2 * chunk], scales[(2 * chunk) + 1]);
                    Assert.That(BitConverter.SingleToInt32Bits(decoded[i]), Is.EqualTo(BitConverter.SingleToInt32Bits(expectedValue)), $"value {i} of length {length}");
                }

                AssertScale(spec, x.AsSpan(start, count), scales[2 * chunk], scales[(2 * chunk) + 1]);
            }
        }
    }

    [TestCase(1)]
    [TestCase(4)]
    [TestCase(8)]
    public void Packed_bytes_equal_the_generic_bit_writer_for_every_length(int bits)
    {
        var random = new DeterministicRandom((ulong)bits);
        foreach (int length in Lengths)
        {
            uint[] codes = Enumerable.Range(0, length).Select(_ => (uint)(random.NextUInt64() & ((1UL << bits) - 1))).ToArray();
            byte[] expected = new byte[BitPacking.PackedLength(length, bits)];
            var writer = new BitWriter(expected);
            foreach (uint code in codes)
            {
                writer.Write(code, bits);
            }

            Assert.That(writer.Flush(), Is.EqualTo(expected.Length));
            byte[] packed = new byte[expected.Length];
            Assert.That(BitPacking.Pack(codes, bits, packed), Is.EqualTo(expected.Length));
            Assert.That(packed, Is.EqualTo(expected), $"length {length}");
            uint[] unpacked = new uint[length];
            BitPacking.Unpack(expected, bits, unpacked, "value");
            Assert.That(unpacked, Is.EqualTo(codes), $"length {length}");
        }
    }

    private static float[] Mixed(int length, ulong seed)
    {
        float[] values = Chains.Gaussian(length, seed, 1e-3);
        for (int i = 5; i < length; i += 11)
        {
            values[i] = -values[i] * 1000; // a few large magnitudes of both signs
        }

        return values;
    }

    private static uint ReferenceCode(QuantizerSpec spec, float[] x, int start, int count, int i, double scale, ulong streamSeed)
    {
        double noise = spec.Rounding == QuantizationRounding.Stochastic ? StochasticNoise.Uniform(streamSeed, i) : 0.5;
        switch (spec.Scheme)
        {
            case QuantizationScheme.MinMax:
                double min = x.Skip(start).Take(count).Min();
                double max = x.Skip(start).Take(count).Max();
                double levels = Quantizer.LevelCount(spec.Bits);
                double inverse = max > min ? levels / (max - min) : 0;
                return (uint)Math.Clamp(Math.Floor(((x[i] - min) * inverse) + noise), 0, levels);
            case QuantizationScheme.Norm:
                double steps = Quantizer.LevelCount(spec.Bits - 1);
                double unitInverse = scale > 0 ? steps / scale : 0;
                uint level = (uint)Math.Min(Math.Floor((Math.Abs((double)x[i]) * unitInverse) + noise), steps);
                return x[i] < 0 ? level | (1u << (spec.Bits - 1)) : level;
            default:
                return x[i] >= 0 ? 1u : 0u;
        }
    }

    private static float ReferenceValue(QuantizerSpec spec, uint code, double a, double b)
    {
        switch (spec.Scheme)
        {
            case QuantizationScheme.MinMax:
                return (float)(a + (code * ((b - a) / Quantizer.LevelCount(spec.Bits))));
            case QuantizationScheme.Norm:
                uint mask = (uint)((1UL << (spec.Bits - 1)) - 1);
                float magnitude = (float)Math.Min((code & mask) * (a / mask), float.MaxValue);
                return (code >> (spec.Bits - 1)) != 0 ? -magnitude : magnitude;
            default:
                return code == 1 ? (float)a : -(float)a;
        }
    }

    private static void AssertScale(QuantizerSpec spec, ReadOnlySpan<float> chunk, double a, double b)
    {
        double squares = 0, magnitudes = 0;
        foreach (float v in chunk)
        {
            squares += (double)v * v;
            magnitudes += Math.Abs(v);
        }

        switch (spec.Scheme)
        {
            case QuantizationScheme.MinMax:
                Assert.That((a, b), Is.EqualTo(((double)SequentialMin(chunk), (double)SequentialMax(chunk))));
                break;
            case QuantizationScheme.Norm:
                // Summed in lanes, so the last bits may differ from the sequential sum.
                Assert.That(a, Is.EqualTo(Math.Sqrt(squares)).Within(1e-12).Percent);
                break;
            default:
                Assert.That(a, Is.EqualTo((float)(magnitudes / chunk.Length)).Within(1e-5).Percent);
                break;
        }
    }

    private static float SequentialMin(ReadOnlySpan<float> chunk)
    {
        float min = float.PositiveInfinity;
        foreach (float v in chunk)
        {
            min = Math.Min(min, v);
        }

        return min;
    }

    private static float SequentialMax(ReadOnlySpan<float> chunk)
    {
        float max = float.NegativeInfinity;
        foreach (float v in chunk)
        {
            max = Math.Max(max, v);
        }

        return max;
    }
}
