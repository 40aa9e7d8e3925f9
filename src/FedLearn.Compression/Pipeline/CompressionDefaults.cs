namespace FedLearn.Compression;

/// <summary>Defaults of the compression pipeline.</summary>
public static class CompressionDefaults
{
    /// <summary>The largest update a pipeline encodes or decodes: 2^28 floats (1 GiB dense).</summary>
    public const int MaxElementCount = 1 << 28;
}
