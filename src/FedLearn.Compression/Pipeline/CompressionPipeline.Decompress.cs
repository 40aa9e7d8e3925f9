using System.Buffers;
using System.Runtime.InteropServices;
using FedLearn.Compression.Entropy;
using FedLearn.Compression.Quantization;
using FedLearn.Compression.TopK;
using FedLearn.Compression.Wire;

namespace FedLearn.Compression.Pipeline;

/// <content>The decoder: every length is checked against the header, the configured maximum and the destination before any scratch is rented.</content>
internal sealed partial class CompressionPipeline
{
    /// <inheritdoc />
    public void Decompress(ReadOnlySpan<byte> payload, Span<float> destination)
    {
        ReadOnlySpan<byte> body = WireHeader.Read(payload, _spec.MaxElementCount, destination.Length, out ushort version, out ushort chainId, out int n);
        if ((chainId & PipelineSpec.StructuralMask) != (_spec.ChainId & PipelineSpec.StructuralMask))
        {
            throw new FedLearnFormatException($"The payload was encoded by codec chain {PipelineSpec.DescribeChainId(chainId)} but this decoder is '{Name}', chain {PipelineSpec.DescribeChainId(_spec.ChainId)}.");
        }

        QuantizerSpec? configured = _spec.Quantizer;
        var reader = new ByteReader(body);
        int bits = reader.ReadByte("quantization bits");
        int rice = reader.ReadByte("Rice parameter");
        ushort flags = reader.ReadUInt16("flag field");
        uint keptCount = reader.ReadUInt32("kept count");
        uint chunkSize = reader.ReadUInt32("chunk size");
        if (bits != (configured?.Bits ?? 0))
        {
            throw new FedLearnFormatException($"The payload announces {bits}-bit values but its chain id says {configured?.Bits ?? 0}.");
        }

        if (version == WireHeader.PreviousVersion && flags != 0)
        {
            throw new FedLearnFormatException($"The reserved field is 0x{flags:X4}; it must be zero in format version {WireHeader.PreviousVersion}.");
        }

        if ((flags & ~PackedValuesFlag) != 0)
        {
            throw new FedLearnFormatException($"The flag field is 0x{flags:X4}; format version {WireHeader.Version} defines only 0x{PackedValuesFlag:X4} (values packed plainly).");
        }

        bool packedValues = (flags & PackedValuesFlag) != 0;
        if (packedValues && !(_spec.EntropyCodesValues && configured is not null))
        {
            throw new FedLearnFormatException("The flag field says the values are packed plainly instead of rANS-coded, but this chain does not entropy-code its values.");
        }

        bool rans = _spec.EntropyCodesValues && !packedValues;

        if (_spec.TopK ? keptCount > (uint)n : keptCount != (uint)n)
        {
            throw new FedLearnFormatException(_spec.TopK
                ? $"The payload keeps {keptCount} values of {n} elements."
                : $"The payload holds {keptCount} values for {n} elements of a dense chain.");
        }

        if (!_spec.TopK && rice != 0)
        {
            throw new FedLearnFormatException($"The Rice parameter is {rice} but this chain keeps no positions; it must be zero.");
        }

        if (configured is null ? chunkSize != 0 : chunkSize is 0 or > QuantizationDefaults.MaxChunkSize)
        {
            throw new FedLearnFormatException(configured is null
                ? $"The chunk size is {chunkSize} but the chain does not quantize; it must be zero."
                : $"The chunk size is {chunkSize}; it must be between 1 and {QuantizationDefaults.MaxChunkSize}.");
        }

        ReadOnlySpan<byte> indexSection = _spec.TopK ? reader.ReadSection("index") : default;
        ReadOnlySpan<byte> scaleSection = configured is not null ? reader.ReadSection("scale") : default;
        ReadOnlySpan<byte> valueSection = reader.ReadSection("value");
        reader.EnsureConsumed();

        int m = (int)keptCount;
        bool allowBlocks = version >= WireHeader.Version;
        CheckFixedSectionLengths(m, n, rice, chunkSize, rans, allowBlocks, indexSection, scaleSection, valueSection);

        float[]? valueRent = null;
        int[]? indexRent = null;
        try
        {
            Span<float> values = destination;
            if (_spec.TopK)
            {
                valueRent = ArrayPool<float>.Shared.Rent(m);
                values = valueRent.AsSpan(0, m);
            }

            if (configured is QuantizerSpec q)
            {
                DecodeQuantized(q with { ChunkSize = (int)chunkSize }, rans, scaleSection, valueSection, values);
            }
            else
            {
                MemoryMarshal.Cast<byte, float>(valueSection).CopyTo(values);
                for (int j = 0; j < values.Length; j++)
                {
                    if (!float.IsFinite(values[j]))
                    {
                        throw new FedLearnFormatException($"Value {j} of the payload is {values[j]}; values must be finite.");
                    }
                }
            }

            if (_spec.TopK)
            {
                indexRent = ArrayPool<int>.Shared.Rent(m);
                Span<int> indices = indexRent.AsSpan(0, m);
                IndexSection.Decode(indexSection, rice, n, indices, allowBlocks);

                // Clear a block, then place the kept values that fall in it while it is in the cache.
                int j = 0;
                for (int start = 0; start < n; start += ScatterBlock)
                {
                    int end = Math.Min(n, start + ScatterBlock);
                    destination[start..end].Clear();
                    for (; j < m && indices[j] < end; j++)
                    {
                        destination[indices[j]] = values[j];
                    }
                }
            }
        }
        finally
        {
            if (valueRent is not null)
            {
                ArrayPool<float>.Shared.Return(valueRent);
            }

            if (indexRent is not null)
            {
                ArrayPool<int>.Shared.Return(indexRent);
            }
        }
    }

    private void CheckFixedSectionLengths(int m, int n, int rice, uint chunkSize, bool rans, bool allowBlocks, ReadOnlySpan<byte> indexSection, ReadOnlySpan<byte> scaleSection, ReadOnlySpan<byte> valueSection)
    {
        QuantizerSpec? q = _spec.Quantizer;
        if (_spec.TopK)
        {
            IndexSection.CheckLayout(indexSection, rice, m, n, allowBlocks);
        }

        if (q is QuantizerSpec qs)
        {
            Expect("scale", scaleSection.Length, QuantizerSpec.ChunkCount(m, chunkSize) * qs.ScaleBytes);
            if (!rans)
            {
                Expect("value", valueSection.Length, BitPacking.PackedLength(m, qs.Bits));
            }
        }
        else
        {
            Expect("value", valueSection.Length, 4L * m);
        }

        static void Expect(string section, long actual, long expected)
        {
            if (actual != expected)
            {
                throw new FedLearnFormatException($"The {section} section is {actual} bytes but the announced counts need exactly {expected}.");
            }
        }
    }

    private static void DecodeQuantized(QuantizerSpec q, bool rans, ReadOnlySpan<byte> scaleSection, ReadOnlySpan<byte> valueSection, Span<float> values)
    {
        int m = values.Length;
        int chunkCount = q.ChunkCount(m);
        double[] scaleRent = ArrayPool<double>.Shared.Rent(2 * chunkCount);
        uint[] codeRent = ArrayPool<uint>.Shared.Rent(m);
        try
        {
            Span<double> scales = scaleRent.AsSpan(0, 2 * chunkCount);
            ReadScales(q.Scheme, scaleSection, scales);
            Span<uint> codes = codeRent.AsSpan(0, m);
            if (rans)
            {
                RansCodec.Decode(valueSection, q.Bits, codes);
            }
            else
            {
                BitPacking.Unpack(valueSection, q.Bits, codes, "value");
            }

            Quantizer.Dequantize(codes, q, scales, values);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scaleRent);
            ArrayPool<uint>.Shared.Return(codeRent);
        }
    }

    private static void ReadScales(QuantizationScheme scheme, ReadOnlySpan<byte> section, Span<double> scales)
    {
        var reader = new ByteReader(section);
        for (int chunk = 0; chunk < scales.Length / 2; chunk++)
        {
            double a, b = 0;
            bool valid;
            switch (scheme)
            {
                case QuantizationScheme.MinMax:
                    float min = reader.ReadSingle("chunk minimum");
                    float max = reader.ReadSingle("chunk maximum");
                    (a, b) = (min, max);
                    valid = float.IsFinite(min) && float.IsFinite(max) && min <= max;
                    break;
                case QuantizationScheme.Norm:
                    a = reader.ReadDouble("chunk norm");
                    valid = double.IsFinite(a) && a >= 0;
                    break;
                default:
                    float scale = reader.ReadSingle("chunk scale");
                    a = scale;
                    valid = float.IsFinite(scale) && scale >= 0;
                    break;
            }

            if (!valid)
            {
                throw new FedLearnFormatException($"Chunk {chunk} has an invalid {scheme} scale ({a}, {b}): scales must be finite, non-negative where they are magnitudes, and min ≤ max.");
            }

            scales[2 * chunk] = a;
            scales[(2 * chunk) + 1] = b;
        }
    }
}
