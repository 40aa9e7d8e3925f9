namespace FedLearn.Privacy.SecureAggregation;

/// <summary>Default settings of SecAgg+ (<see cref="SecAggPlusOptions"/>).</summary>
public static class SecAggPlusDefaults
{
    /// <summary>
    /// Size of each client's neighbourhood, the client included: 41 (40 neighbours, four times log2 of 1000 clients).
    /// A neighbourhood must keep the threshold: with 20% of 1000 clients dropping at random a round then aborts with
    /// probability about 0.8%; with 21 shares (threshold 11) about 60%, with 11 shares (threshold 6) almost always.
    /// </summary>
    public const int NumShares = 41;

    /// <summary>Shares needed to reconstruct a secret: 21 (a majority of 41); scaled down in proportion when a round has fewer clients than <see cref="NumShares"/>.</summary>
    public const int ReconstructionThreshold = 21;

    /// <summary>Each weighted coordinate is clipped to [-8, 8] before quantization.</summary>
    public const double ClippingRange = 8.0;

    /// <summary>Quantization levels: [-clip, clip] maps onto the integers 0..2^22.</summary>
    public const long QuantizationRange = 1L << 22;

    /// <summary>Arithmetic is modulo 2^32.</summary>
    public const long Modulus = 1L << 32;

    /// <summary>Example counts are capped at 10 000 when used as weights.</summary>
    public const int MaxWeight = 10_000;
}
