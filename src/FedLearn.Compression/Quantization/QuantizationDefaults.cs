namespace FedLearn.Compression;

/// <summary>Default values of <see cref="QuantizationOptions"/>.</summary>
public static class QuantizationDefaults
{
    /// <summary>Bits per value: 8.</summary>
    public const int Bits = 8;

    /// <summary>Values that share one scale: 4096 (8 bytes of scale per chunk, 0.016 bits per value).</summary>
    public const int ChunkSize = 4096;

    /// <summary>The largest chunk the options accept: 2^24 values.</summary>
    public const int MaxChunkSize = 1 << 24;
}
