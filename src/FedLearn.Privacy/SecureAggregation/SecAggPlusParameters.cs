namespace FedLearn.Privacy.SecureAggregation;

/// <summary>The settings of one SecAgg+ round, as the server announces them to each client.</summary>
/// <param name="NumShares">Neighbourhood size, the client included.</param>
/// <param name="ReconstructionThreshold">Shares needed to reconstruct a secret.</param>
/// <param name="ClippingRange">Clip of each weighted coordinate.</param>
/// <param name="QuantizationRange">Quantization levels.</param>
/// <param name="Modulus">Modulus of the masked arithmetic (a power of two, at most 2^32).</param>
/// <param name="MaxWeight">Cap on the example count used as weight.</param>
/// <param name="ModelLength">Number of model parameters.</param>
public sealed record SecAggPlusParameters(int NumShares, int ReconstructionThreshold, double ClippingRange, long QuantizationRange, long Modulus, int MaxWeight, int ModelLength)
{
    /// <summary>Every reason an honest client refuses these settings; empty when it accepts them.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (ReconstructionThreshold < 2 || ReconstructionThreshold > NumShares || 2 * ReconstructionThreshold <= NumShares)
        {
            problems.Add($"reconstruction threshold {ReconstructionThreshold} is not a majority of {NumShares} shares.");
        }

        if (Modulus < 256 || Modulus > (1L << 32) || (Modulus & (Modulus - 1)) != 0)
        {
            problems.Add($"modulus {Modulus} is not a power of two from 2^8 to 2^32.");
        }

        if (QuantizationRange < 2 || QuantizationRange >= Modulus || !(ClippingRange > 0) || double.IsInfinity(ClippingRange))
        {
            problems.Add($"quantization range {QuantizationRange} or clipping range {ClippingRange} is invalid.");
        }

        if (MaxWeight < 1 || MaxWeight >= Modulus || ModelLength < 0)
        {
            problems.Add($"max weight {MaxWeight} or model length {ModelLength} is invalid.");
        }

        return problems;
    }

    /// <summary>The mask that reduces a 32-bit value modulo <see cref="Modulus"/>.</summary>
    internal uint ModulusMask => (uint)(Modulus - 1);
}
