using System.ComponentModel.DataAnnotations;
using System.Numerics;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// Settings of SecAgg+. The server sends them to every client in the first stage, so clients need no configuration.
/// Validated together when the protocol is built (one exception lists every broken rule) and again against the number
/// of clients of each round.
/// </summary>
/// <remarks>Bonawitz et al., "Practical Secure Aggregation for Privacy-Preserving Machine Learning", CCS 2017; Bell et al.,
/// "Secure Single-Server Aggregation with (Poly)Logarithmic Overhead", CCS 2020.</remarks>
public sealed class SecAggPlusOptions : IValidatableObject
{
    /// <summary>Size of each client's neighbourhood in the random regular graph, the client itself included; each secret is split into this many shares.</summary>
    /// <value>Default: <see cref="SecAggPlusDefaults.NumShares"/>. Odd (the graph is (NumShares − 1)-regular); capped at the number of clients of a round.</value>
    /// <remarks>Bell et al. 2020 show that a neighbourhood of O(log n) suffices.</remarks>
    [Range(3, 100_001)]
    public int NumShares { get; set; } = SecAggPlusDefaults.NumShares;

    /// <summary>Shares needed to reconstruct a client's secrets; each neighbourhood must keep this many live clients.</summary>
    /// <value>Default: <see cref="SecAggPlusDefaults.ReconstructionThreshold"/>. More than half of <see cref="NumShares"/>; scaled
    /// down in proportion in rounds with fewer clients than <see cref="NumShares"/> (<see cref="EffectiveThreshold"/>).</value>
    [Range(2, 100_001)]
    public int ReconstructionThreshold { get; set; } = SecAggPlusDefaults.ReconstructionThreshold;

    /// <summary>Each weighted coordinate is clipped to [−ClippingRange, ClippingRange] before quantization.</summary>
    /// <value>Default: <see cref="SecAggPlusDefaults.ClippingRange"/>.</value>
    [Range(1e-6, 1e6)]
    public double ClippingRange { get; set; } = SecAggPlusDefaults.ClippingRange;

    /// <summary>Quantization levels: [−clip, clip] maps onto the integers 0..QuantizationRange by stochastic rounding.</summary>
    /// <value>Default: <see cref="SecAggPlusDefaults.QuantizationRange"/> (2^22).</value>
    [Range(2L, 1L << 32)]
    public long QuantizationRange { get; set; } = SecAggPlusDefaults.QuantizationRange;

    /// <summary>The modulus of the masked arithmetic; a power of two from 2^8 to 2^32.</summary>
    /// <value>Default: <see cref="SecAggPlusDefaults.Modulus"/> (2^32).</value>
    [Range(1L << 8, 1L << 32)]
    public long Modulus { get; set; } = SecAggPlusDefaults.Modulus;

    /// <summary>Example counts above this are capped when they weight an update; the weight travels as an exact integer.</summary>
    /// <value>Default: <see cref="SecAggPlusDefaults.MaxWeight"/>.</value>
    [Range(1, int.MaxValue)]
    public int MaxWeight { get; set; } = SecAggPlusDefaults.MaxWeight;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (NumShares % 2 == 0)
        {
            yield return new ValidationResult($"must be odd (each client has NumShares − 1 neighbours in a regular graph), but is {NumShares}.", [nameof(NumShares)]);
        }

        if (ReconstructionThreshold > NumShares)
        {
            yield return new ValidationResult($"({ReconstructionThreshold}) must not exceed NumShares ({NumShares}).", [nameof(ReconstructionThreshold)]);
        }
        else if (2 * ReconstructionThreshold <= NumShares)
        {
            yield return new ValidationResult($"({ReconstructionThreshold}) must be more than half of NumShares ({NumShares}), so that no two disjoint groups of a neighbourhood can both reconstruct a secret.", [nameof(ReconstructionThreshold)]);
        }

        if (Modulus > 0 && !BitOperations.IsPow2(Modulus))
        {
            yield return new ValidationResult($"must be a power of two, but is {Modulus}.", [nameof(Modulus)]);
        }

        if (QuantizationRange >= Modulus)
        {
            yield return new ValidationResult($"({QuantizationRange}) must be smaller than Modulus ({Modulus}).", [nameof(QuantizationRange)]);
        }

        if (MaxWeight >= Modulus)
        {
            yield return new ValidationResult($"({MaxWeight}) must be smaller than Modulus ({Modulus}).", [nameof(MaxWeight)]);
        }
    }

    /// <summary>The rules that depend on the number of clients of a round: the sums must not wrap around the modulus.</summary>
    /// <param name="clients">Clients of the round.</param>
    /// <returns>Every broken rule; empty when the round can run.</returns>
    public IReadOnlyList<string> ValidateFor(int clients)
    {
        var errors = new List<string>();
        if ((decimal)clients * QuantizationRange > Modulus - 1)
        {
            errors.Add($"{clients} clients × QuantizationRange {QuantizationRange} exceeds Modulus − 1 ({Modulus - 1}): the masked sum would wrap around; use fewer clients, a smaller QuantizationRange or a larger Modulus.");
        }

        if ((decimal)clients * MaxWeight > Modulus - 1)
        {
            errors.Add($"{clients} clients × MaxWeight {MaxWeight} exceeds Modulus − 1 ({Modulus - 1}): the sum of weights would wrap around.");
        }

        if (clients < 3)
        {
            errors.Add($"{clients} clients are too few: secure aggregation needs at least 3.");
        }

        return errors;
    }

    /// <summary>
    /// The threshold for neighbourhoods of <paramref name="shares"/> clients: <see cref="ReconstructionThreshold"/> for full
    /// neighbourhoods; in a round with fewer clients than <see cref="NumShares"/> the same fraction, rounded up, and never
    /// less than a majority.
    /// </summary>
    public int EffectiveThreshold(int shares)
    {
        if (shares >= NumShares)
        {
            return ReconstructionThreshold;
        }

        int scaled = (int)Math.Ceiling((double)ReconstructionThreshold * shares / NumShares);
        return Math.Max((shares / 2) + 1, scaled);
    }

    internal SecAggPlusParameters ToParameters(int modelLength, int clients)
    {
        // With as many shares as clients the graph is complete, which is regular for any number of clients.
        int shares = Math.Min(NumShares, clients);
        return new SecAggPlusParameters(shares, EffectiveThreshold(shares), ClippingRange, QuantizationRange, Modulus, MaxWeight, modelLength);
    }
}
