using System.Buffers;
using FedLearn.Compression;
using FedLearn.Compression.ErrorFeedback;
using FedLearn.Compression.Pipeline;
using FedLearn.Compression.Quantization;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Runs a FedLearn.Compression chain's error feedback, top-k and quantization with tensor operations on the device
/// the update lives on (CUDA when the weights are there, else the CPU) and writes the same wire format as the chain
/// itself, so the chain's decoder (and every server) reads it. Only the index and value coding (Golomb–Rice, rANS,
/// bit packing) runs on the host, over the k kept positions and codes.
/// </summary>
/// <remarks>
/// <para>
/// Supported chains: any of <c>ef</c>, <c>topk</c> and a quantizer with deterministic (nearest) rounding —
/// <c>q:B</c>, <c>q:B:norm</c>, <c>sign</c> — and <c>entropy</c>. Stochastic rounding (<c>qsgd</c>, <c>:stochastic</c>)
/// needs the counter-based 64-bit hash of FedLearn.Compression, which tensor integer arithmetic does not express
/// portably; such chains are rejected when the encoder is built.
/// </para>
/// <para>
/// Agreement with the span encoder on the same input: top-k is exact (see <see cref="TensorTopK"/>), so the kept positions are
/// the same except for which of several equal magnitudes at the threshold is kept (the span encoder keeps the lower
/// positions). Min/max quantization and its decoding use the same double-precision operations in the same order, so
/// codes, and therefore payload bytes, are identical when no ties occur. Norm and scaled-sign scales are sums, which a
/// device adds in another order: the scale may differ in its last bits and the values stay within the quantizer's bound.
/// </para>
/// <para>
/// The error-feedback residual is kept where the span encoder keeps it (a float buffer in
/// <see cref="CompressionContext.State"/>), so a client can switch encoders between rounds; on CUDA it is copied to the
/// device and back once per call. Stateless and thread-safe like the chain it wraps. <see cref="Decompress"/> is the
/// chain's own decoder.
/// </para>
/// </remarks>
public sealed class TensorCompressor : ICompressor
{
    private const long TopKSeedPurpose = 0x544F504B;

    private readonly CompressionPipeline _chain;
    private readonly PipelineSpec _spec;

    /// <summary>Wraps <paramref name="chain"/>, a compressor built by <see cref="CompressionPipelineBuilder"/>.</summary>
    /// <param name="chain">The chain whose stages run on tensors and whose wire format is written.</param>
    /// <param name="device">Where <see cref="Compress(ReadOnlySpan{float}, CompressionContext)"/> runs; a tensor update runs on its own device.</param>
    /// <exception cref="ArgumentException">The chain is not a FedLearn.Compression pipeline, or uses stochastic rounding.</exception>
    /// <exception cref="TorchUnavailableException">The TorchSharp native library could not be loaded.</exception>
    public TensorCompressor(ICompressor chain, TorchDevicePreference device = TorchDevicePreference.Auto)
    {
        ArgumentNullException.ThrowIfNull(chain);
        if (chain is not CompressionPipeline pipeline)
        {
            throw new ArgumentException($"The tensor encoder needs a chain built by CompressionPipelineBuilder; got {chain.GetType().Name} ('{chain.Name}').", nameof(chain));
        }

        if (pipeline.Spec.Quantizer is { Rounding: QuantizationRounding.Stochastic })
        {
            throw new ArgumentException($"The tensor encoder supports deterministic rounding only; chain '{chain.Name}' rounds stochastically (qsgd or :stochastic). Use the span encoder for it.", nameof(chain));
        }

        _chain = pipeline;
        _spec = pipeline.Spec;
        Device = TorchRuntime.SelectDevice(device);
    }

    /// <inheritdoc />
    public string Name => _spec.Name;

    /// <summary>The device that encodes updates given as spans.</summary>
    public Device Device { get; }

    /// <summary>Copies <paramref name="update"/> to <see cref="Device"/> and encodes it there.</summary>
    /// <inheritdoc />
    public EncodedUpdatePayload Compress(ReadOnlySpan<float> update, CompressionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        using var host = torch.empty(update.Length, ScalarType.Float32);
        host.data<float>().CopyFrom(update);
        return Compress(host.to(Device), context);
    }

    /// <summary>
    /// Encodes <paramref name="update"/> (float32, any shape, read in row-major order) on the device it lives on. The
    /// tensor is not modified; the result owns its bytes.
    /// </summary>
    /// <param name="update">The dense delta. Must be finite.</param>
    /// <param name="context">The client's state (error-feedback residual) and the seed of the top-k candidate sample.</param>
    /// <exception cref="ArgumentException">The tensor is not float32, is too large, or holds a non-finite value.</exception>
    public EncodedUpdatePayload Compress(Tensor update, CompressionContext context)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentNullException.ThrowIfNull(context);
        if (update.dtype != ScalarType.Float32)
        {
            throw new ArgumentException($"The update must be a float32 tensor; it is {update.dtype}.", nameof(update));
        }

        if (update.numel() > _spec.MaxElementCount)
        {
            throw new ArgumentException($"The update has {update.numel()} elements, more than the configured maximum of {_spec.MaxElementCount}.", nameof(update));
        }

        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int n = (int)update.numel();
        Tensor x = update.detach().reshape(n);
        EnsureFinite(x, "The update");

        float[]? residual = null;
        if (_spec.ErrorFeedback)
        {
            residual = ErrorFeedbackMemory.Residual(context.State, n);
            Tensor previous = torch.empty(n, ScalarType.Float32);
            previous.data<float>().CopyFrom(residual);
            x = x.add(previous.to(x.device), TorchScalars.One);
            EnsureFinite(x, "The update plus the error-feedback residual");
        }

        int m = _spec.KeptCount(n);
        Tensor? positions = null;
        Tensor kept = x;
        if (_spec.TopK)
        {
            // Exact top-k by magnitude; positions ascending, as the wire format lists them.
            positions = TensorTopK.Select(x.abs(), m, Seeds.Derive(context.Seed, TopKSeedPurpose)).sort(dim: 0, descending: false, stable: false).Values;
            kept = x.index_select(0, positions);
        }

        TensorQuantization? quantized = _spec.Quantizer is QuantizerSpec q ? TensorQuantization.Quantize(kept, q) : null;

        if (residual is not null)
        {
            Tensor sent = quantized?.Decoded ?? kept;
            Tensor next = positions is null ? x - sent : x.clone().index_copy_(0, positions, kept - sent);
            next.cpu().data<float>().CopyTo(residual);
        }

        return new EncodedUpdatePayload(Write(n, m, positions, kept, quantized), n);
    }

    /// <summary>The chain's own decoder.</summary>
    /// <inheritdoc />
    public void Decompress(ReadOnlySpan<byte> payload, Span<float> destination) => _chain.Decompress(payload, destination);

    /// <inheritdoc />
    public override string ToString() => Name;

    private byte[] Write(int n, int m, Tensor? positions, Tensor kept, TensorQuantization? quantized)
    {
        int[]? indexRent = null;
        float[]? valueRent = null;
        uint[]? codeRent = null;
        double[]? scaleRent = null;
        try
        {
            Span<int> indices = default;
            if (positions is not null)
            {
                indexRent = ArrayPool<int>.Shared.Rent(m);
                indices = indexRent.AsSpan(0, m);
                positions.to(ScalarType.Int32).cpu().data<int>().CopyTo(indices);
            }

            Span<float> values = default;
            Span<uint> codes = default;
            Span<double> scales = default;
            if (quantized is { } qz)
            {
                codeRent = ArrayPool<uint>.Shared.Rent(m);
                codes = codeRent.AsSpan(0, m);
                qz.CopyCodes(codes);
                scaleRent = ArrayPool<double>.Shared.Rent(qz.ScaleCount);
                scales = scaleRent.AsSpan(0, qz.ScaleCount);
                qz.CopyScales(scales);
            }
            else
            {
                valueRent = ArrayPool<float>.Shared.Rent(m);
                values = valueRent.AsSpan(0, m);
                kept.cpu().data<float>().CopyTo(values);
            }

            return _chain.Write(n, m, indices, values, codes, scales);
        }
        finally
        {
            Return(indexRent);
            Return(valueRent);
            Return(codeRent);
            Return(scaleRent);
        }
    }

    private static void EnsureFinite(Tensor x, string what)
    {
        Tensor finite = x.isfinite();
        if (x.numel() == 0 || finite.all().item<bool>())
        {
            return;
        }

        long index = finite.logical_not().to(ScalarType.Int32).argmax().item<long>();
        throw new ArgumentException($"{what} must be finite, but element {index} is {x[index].item<float>()}.", "update");
    }

    private static void Return<T>(T[]? rented)
    {
        if (rented is not null)
        {
            ArrayPool<T>.Shared.Return(rented);
        }
    }
}
