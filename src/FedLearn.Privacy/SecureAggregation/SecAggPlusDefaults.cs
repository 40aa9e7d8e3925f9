namespace FedLearn.Privacy.SecureAggregation;

/// <summary>Default settings of SecAgg+ (<see cref="SecAggPlusOptions"/>).</summary>
public static class SecAggPlusDefaults
{
    /// <summary>Size of each client's neighbourhood, the client included: 11 (10 neighbours, about log2 of 1000 clients).</summary>
    public const int NumShares = 11;

    /// <summary>Shares needed to reconstruct a secret: 6 (a majority of 11).</summary>
    public const int ReconstructionThreshold = 6;

    /// <summary>Each weighted coordinate is clipped to [-8, 8] before quantization.</summary>
    public const double ClippingRange = 8.0;

    /// <summary>Quantization levels: [-clip, clip] maps onto the integers 0..2^22.</summary>
    public const long QuantizationRange = 1L << 22;

    /// <summary>Arithmetic is modulo 2^32.</summary>
    public const long Modulus = 1L << 32;

    /// <summary>Example counts are capped at 10 000 when used as weights.</summary>
    public const int MaxWeight = 10_000;
}
