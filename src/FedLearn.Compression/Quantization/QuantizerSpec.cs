namespace FedLearn.Compression.Quantization;

/// <summary>The validated, immutable settings of a quantization stage.</summary>
internal readonly record struct QuantizerSpec(QuantizationScheme Scheme, int Bits, QuantizationRounding Rounding, int ChunkSize)
{
    /// <summary>Creates the spec from options that were validated already.</summary>
    public static QuantizerSpec From(QuantizationOptions options) =>
        new(options.Scheme, options.Bits, options.Scheme == QuantizationScheme.ScaledSign ? QuantizationRounding.Nearest : options.Rounding, options.ChunkSize);

    /// <summary>Bytes of scale each chunk carries on the wire.</summary>
    public int ScaleBytes => Scheme == QuantizationScheme.ScaledSign ? 4 : 8;

    /// <summary>Number of chunks covering <paramref name="count"/> values.</summary>
    public int ChunkCount(int count) => count == 0 ? 0 : ((count - 1) / ChunkSize) + 1;

    /// <summary>Number of chunks for <paramref name="count"/> values at <paramref name="chunkSize"/> per chunk.</summary>
    public static long ChunkCount(long count, long chunkSize) => count == 0 ? 0 : ((count - 1) / chunkSize) + 1;
}
