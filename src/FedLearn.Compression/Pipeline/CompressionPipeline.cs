using System.Numerics.Tensors;

namespace FedLearn.Compression.Pipeline;

/// <summary>
/// A codec chain as one <see cref="ICompressor"/>: optional error feedback, top-k, quantization and entropy coding,
/// in that order, writing and reading the checked wire format (see <see cref="Wire.WireHeader"/> for the header).
/// Body after the header: a 12-byte parameter block (quantization bits, Rice parameter, a 16-bit flag field, kept
/// count, chunk size), then length-prefixed sections: indices (with top-k, always compact: see <see cref="TopK.IndexSection"/>), scales
/// (with quantization), values (rANS-coded when the chain ends with entropy coding and values have at most 8 bits,
/// unless <see cref="PackedValuesFlag"/> says the encoder packed them plainly because rANS would not have been
/// smaller). The flag field was reserved and zero in format version 2; no other flag is defined.
/// Stateless and thread-safe; per-client state lives in <see cref="CompressionContext.State"/>.
/// </summary>
internal sealed partial class CompressionPipeline : ICompressor
{
    private const int ParameterBlockSize = 12;

    /// <summary>
    /// Flag: the values of an entropy-coding chain are packed plainly, as without entropy coding. The encoder sets it
    /// when the rANS section, frequency table included, would be at least as long, which happens for few kept values
    /// (a 0.1% selection of a small model) or flat code distributions.
    /// </summary>
    internal const ushort PackedValuesFlag = 1;

    /// <summary>Offset of the flag field in the payload (header, then bits and Rice parameter).</summary>
    private const int FlagOffset = Wire.WireHeader.Size + 2;

    /// <summary>Elements per block when dense work and the kept positions inside it are done together (16 KB of floats).</summary>
    private const int ScatterBlock = 4096;

    private readonly PipelineSpec _spec;

    public CompressionPipeline(PipelineSpec spec)
    {
        _spec = spec;
    }

    /// <inheritdoc />
    public string Name => _spec.Name;

    /// <summary>The validated description of the chain.</summary>
    internal PipelineSpec Spec => _spec;

    /// <inheritdoc />
    public override string ToString() => Name;

    private static void EnsureFinite(ReadOnlySpan<float> values, string parameterName, string what)
    {
        // IsFiniteAll is false for an empty span; an empty update has nothing non-finite in it.
        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values))
        {
            return;
        }

        int index = 0;
        while (float.IsFinite(values[index]))
        {
            index++;
        }

        throw new ArgumentException($"{what} must be finite, but element {index} is {values[index]}.", parameterName);
    }
}
