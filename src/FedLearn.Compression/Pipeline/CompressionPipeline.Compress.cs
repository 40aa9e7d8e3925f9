using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using FedLearn.Compression.Entropy;
using FedLearn.Compression.ErrorFeedback;
using FedLearn.Compression.Quantization;
using FedLearn.Compression.TopK;
using FedLearn.Compression.Wire;

namespace FedLearn.Compression.Pipeline;

/// <content>The encoder.</content>
internal sealed partial class CompressionPipeline
{
    private const long TopKSeedPurpose = 0x544F504B;

    /// <inheritdoc />
    public EncodedUpdatePayload Compress(ReadOnlySpan<float> update, CompressionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int n = update.Length;
        if (n > _spec.MaxElementCount)
        {
            throw new ArgumentException($"The update has {n} elements, more than the configured maximum of {_spec.MaxElementCount}.", nameof(update));
        }

        int m = _spec.KeptCount(n);
        QuantizerSpec? quantizer = _spec.Quantizer;
        int chunkCount = quantizer?.ChunkCount(m) ?? 0;

        float[]? accumulatorRent = null, valueRent = null, sentRent = null;
        int[]? indexRent = null;
        uint[]? codeRent = null;
        double[]? scaleRent = null;
        try
        {
            Span<int> indices = default;
            ReadOnlySpan<float> values = update;
            ReadOnlySpan<float> accumulated = update;
            if (_spec.TopK)
            {
                // Top-k reads update + residual in its own pass and checks finiteness there, so the dense sum is never
                // stored and the update is read once; the residual is written only after the payload is complete.
                ReadOnlySpan<float> previous = default;
                if (_spec.ErrorFeedback)
                {
                    float[] residual = PreviousResidual(context.State, n, out bool rented);
                    accumulatorRent = rented ? residual : null;
                    previous = residual.AsSpan(0, n);
                }

                indexRent = ArrayPool<int>.Shared.Rent(m);
                valueRent = ArrayPool<float>.Shared.Rent(m);
                indices = indexRent.AsSpan(0, m);
                Span<float> kept = valueRent.AsSpan(0, m);
                if (!TopKSelector.SelectSum(update, previous, m, indices, kept, Seeds.Derive(context.Seed, TopKSeedPurpose), n >= TopKSelector.SamplingThreshold))
                {
                    ThrowNotFinite(update, previous);
                }

                values = kept;
            }
            else
            {
                EnsureFinite(update, nameof(update), "The update");
                if (_spec.ErrorFeedback)
                {
                    float[] residual = ErrorFeedbackMemory.Residual(context.State, n);
                    accumulatorRent = ArrayPool<float>.Shared.Rent(n);
                    Span<float> sum = accumulatorRent.AsSpan(0, n);
                    TensorPrimitives.Add(update, residual, sum);
                    EnsureFinite(sum, nameof(update), "The update plus the error-feedback residual");
                    values = accumulated = sum;
                }
            }

            Span<uint> codes = default;
            Span<double> scales = default;
            if (quantizer is QuantizerSpec q)
            {
                codeRent = ArrayPool<uint>.Shared.Rent(m);
                scaleRent = ArrayPool<double>.Shared.Rent(2 * chunkCount);
                codes = codeRent.AsSpan(0, m);
                scales = scaleRent.AsSpan(0, 2 * chunkCount);
                Quantizer.Quantize(values, q, StochasticNoise.StreamSeed(context.Seed), codes, scales);
            }

            if (_spec.ErrorFeedback)
            {
                // What the server will decode, computed by the decoder's own kernel so the residual is exact.
                ReadOnlySpan<float> sent = values;
                if (quantizer is QuantizerSpec q2)
                {
                    sentRent = ArrayPool<float>.Shared.Rent(m);
                    Quantizer.Dequantize(codes, q2, scales, sentRent.AsSpan(0, m));
                    sent = sentRent.AsSpan(0, m);
                }

                float[] residual = ErrorFeedbackMemory.Residual(context.State, n);
                if (_spec.TopK)
                {
                    UpdateResidual(update, indices, values, sent, residual);
                }
                else
                {
                    TensorPrimitives.Subtract(accumulated, sent, residual);
                }
            }

            byte[] payload = Write(n, m, indices, values, codes, scales);
            return new EncodedUpdatePayload(payload, n);
        }
        finally
        {
            Return(accumulatorRent);
            Return(valueRent);
            Return(sentRent);
            Return(indexRent);
            Return(codeRent);
            Return(scaleRent);
        }
    }

    /// <summary>
    /// Writes the payload of an update of <paramref name="n"/> elements from what the stages produced. Shared with
    /// encoders that run the stages elsewhere (FedLearn.Torch's tensor encoder), so every encoder writes the same bytes.
    /// </summary>
    /// <param name="n">Element count of the dense update.</param>
    /// <param name="m">Kept count (<paramref name="n"/> without top-k).</param>
    /// <param name="indices">With top-k: the m kept positions, strictly ascending; else empty.</param>
    /// <param name="values">Without quantization: the m kept float values; else ignored.</param>
    /// <param name="codes">With quantization: the m codes, each below 2^bits; else empty.</param>
    /// <param name="scales">With quantization: two doubles per chunk, as <see cref="Quantizer.Quantize"/> writes them.</param>
    internal byte[] Write(int n, int m, ReadOnlySpan<int> indices, ReadOnlySpan<float> values, ReadOnlySpan<uint> codes, ReadOnlySpan<double> scales)
    {
        QuantizerSpec? quantizer = _spec.Quantizer;
        IndexSectionPlan indexPlan = _spec.TopK ? IndexSection.Plan(indices, n) : default;
        long indexBytes = indexPlan.Length;

        long scaleBytes = quantizer is QuantizerSpec q ? (long)q.ChunkCount(m) * q.ScaleBytes : 0;
        long valueBytes = quantizer is not QuantizerSpec qv ? 4L * m
            : _spec.EntropyCodesValues ? RansCodec.MaxEncodedLength(m, qv.Bits)
            : BitPacking.PackedLength(m, qv.Bits);
        int sectionCount = (_spec.TopK ? 1 : 0) + (quantizer is null ? 1 : 2);
        long bound = WireHeader.Size + ParameterBlockSize + (4L * sectionCount) + indexBytes + scaleBytes + valueBytes;
        if (bound > Array.MaxLength)
        {
            throw new ArgumentException($"The encoded update would need {bound} bytes, more than one array can hold; use a smaller update or a stronger chain.");
        }

        // Without rANS every section's size is known, so the payload is written in place instead of copied out of
        // scratch; rANS only has an upper bound.
        bool exact = quantizer is null || !_spec.EntropyCodesValues;
        byte[] buffer = exact ? new byte[bound] : ArrayPool<byte>.Shared.Rent((int)bound);
        try
        {
            var writer = new ByteWriter(buffer, WireHeader.Size);
            writer.WriteByte((byte)(quantizer?.Bits ?? 0));
            writer.WriteByte((byte)indexPlan.RiceParameter);
            writer.WriteUInt16(0); // flags, set below if the values end up packed plainly
            writer.WriteUInt32((uint)m);
            writer.WriteUInt32((uint)(quantizer?.ChunkSize ?? 0));

            if (_spec.TopK)
            {
                WriteSectionLength(ref writer, IndexSection.Encode(indices, n, indexPlan, writer.Rest[4..]));
            }

            if (quantizer is QuantizerSpec qs)
            {
                var scaleWriter = new ByteWriter(writer.Rest, 4);
                for (int chunk = 0; chunk < qs.ChunkCount(m); chunk++)
                {
                    switch (qs.Scheme)
                    {
                        case QuantizationScheme.MinMax:
                            scaleWriter.WriteSingle((float)scales[2 * chunk]);
                            scaleWriter.WriteSingle((float)scales[(2 * chunk) + 1]);
                            break;
                        case QuantizationScheme.Norm:
                            scaleWriter.WriteDouble(scales[2 * chunk]);
                            break;
                        default:
                            scaleWriter.WriteSingle((float)scales[2 * chunk]);
                            break;
                    }
                }

                WriteSectionLength(ref writer, scaleWriter.Position - 4);

                long packedLength = BitPacking.PackedLength(m, qs.Bits);
                int valueLength = _spec.EntropyCodesValues ? RansCodec.Encode(codes, qs.Bits, writer.Rest[4..]) : -1;
                if (valueLength < 0 || valueLength >= packedLength)
                {
                    // rANS did not pay for its frequency table: the same codes packed plainly, flagged for the decoder.
                    valueLength = BitPacking.Pack(codes, qs.Bits, writer.Rest[4..]);
                    if (_spec.EntropyCodesValues)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan(FlagOffset), PackedValuesFlag);
                    }
                }

                WriteSectionLength(ref writer, valueLength);
            }
            else
            {
                // Raw float32 values, little-endian (the byte order of every platform .NET 10 runs on).
                int valueLength = 4 * m;
                MemoryMarshal.AsBytes(values).CopyTo(writer.Rest[4..]);
                WriteSectionLength(ref writer, valueLength);
            }

            if (exact && writer.Position != buffer.Length)
            {
                throw new InvalidOperationException($"The payload took {writer.Position} bytes where {buffer.Length} were computed.");
            }

            byte[] payload = exact ? buffer : buffer.AsSpan(0, writer.Position).ToArray();
            WireHeader.Write(payload, _spec.ChainId, n);
            return payload;
        }
        finally
        {
            if (!exact)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>
    /// residual ← update + residual everywhere (the same float sums the selection formed), except at the kept
    /// positions, which get what was not sent of them. Block by block, so the kept positions of a block are written
    /// while it is still in the cache instead of in a second sweep over the whole residual.
    /// </summary>
    internal static void UpdateResidual(ReadOnlySpan<float> update, ReadOnlySpan<int> indices, ReadOnlySpan<float> kept, ReadOnlySpan<float> sent, Span<float> residual)
    {
        int j = 0;
        for (int start = 0; start < update.Length; start += ScatterBlock)
        {
            int end = Math.Min(update.Length, start + ScatterBlock);
            Span<float> block = residual[start..end];
            TensorPrimitives.Add(update[start..end], block, block);
            for (; j < indices.Length && indices[j] < end; j++)
            {
                residual[indices[j]] = kept[j] - sent[j];
            }
        }
    }

    /// <summary>
    /// The client's residual for a top-k chain, without creating state: the first time, a zeroed rented buffer
    /// (<paramref name="rented"/> set; its first <paramref name="n"/> values count), so that an update rejected as
    /// non-finite leaves the state untouched.
    /// </summary>
    private static float[] PreviousResidual(ComponentState state, int n, out bool rented)
    {
        rented = !state.TryGet(ErrorFeedbackMemory.StateKey, out _);
        if (!rented)
        {
            // Checks the length as the state does, with its message.
            return ErrorFeedbackMemory.Residual(state, n);
        }

        float[] zeros = ArrayPool<float>.Shared.Rent(n);
        zeros.AsSpan(0, n).Clear();
        return zeros;
    }

    /// <summary>Throws the message <see cref="EnsureFinite"/> gives for the first non-finite value of update (+ residual).</summary>
    private static void ThrowNotFinite(ReadOnlySpan<float> update, ReadOnlySpan<float> residual)
    {
        EnsureFinite(update, nameof(update), "The update");
        for (int i = 0; i < residual.Length; i++)
        {
            float sum = update[i] + residual[i];
            if (!float.IsFinite(sum))
            {
                throw new ArgumentException($"The update plus the error-feedback residual must be finite, but element {i} is {sum}.", nameof(update));
            }
        }

        throw new InvalidOperationException("Top-k selection reported a non-finite value that is not there.");
    }

    private static void WriteSectionLength(ref ByteWriter writer, int length)
    {
        writer.WriteUInt32((uint)length);
        writer.Advance(length);
    }

    private static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
