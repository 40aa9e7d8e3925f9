using System.ComponentModel.DataAnnotations;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// Settings of <see cref="AdaptiveClippingAggregator"/>. Validated when the aggregator is built; later changes to this
/// object do not affect a built aggregator.
/// </summary>
public sealed class AdaptiveClippingOptions : IValidatableObject
{
    /// <summary>
    /// Noise multiplier z of the whole round (update and clipped count together): the accountant charges each round as
    /// one Gaussian step with this multiplier. The update noise uses z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2) ≥ z.
    /// </summary>
    /// <value>Default <see cref="DpFedAvgDefaults.NoiseMultiplier"/> (1.0). Finite and ≥ 0; 0 adds no noise at all (ε = ∞).</value>
    /// <remarks>Andrew, Thakkar, McMahan and Ramaswamy 2021, "Differentially Private Learning with Adaptive Clipping", Section 3.</remarks>
    [Range(0.0, double.MaxValue, ErrorMessage = "must be finite and ≥ 0")]
    public double NoiseMultiplier { get; set; } = DpFedAvgDefaults.NoiseMultiplier;

    /// <summary>Clipping norm C of the first round.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.InitialClippingNorm"/> (0.1). Positive and finite.</value>
    /// <remarks>Andrew et al. 2021.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double InitialClippingNorm { get; set; } = DpFedAvgDefaults.InitialClippingNorm;

    /// <summary>Target quantile γ: the fraction of client updates the clipping norm should leave unclipped.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.TargetQuantile"/> (0.5). In (0, 1).</value>
    /// <remarks>Andrew et al. 2021.</remarks>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "must be in (0, 1)")]
    public double TargetQuantile { get; set; } = DpFedAvgDefaults.TargetQuantile;

    /// <summary>Learning rate η_C of the geometric update C ← C·exp(−η_C(b̄ − γ)).</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.ClippingLearningRate"/> (0.2). Positive and finite.</value>
    /// <remarks>Andrew et al. 2021.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ClippingLearningRate { get; set; } = DpFedAvgDefaults.ClippingLearningRate;

    /// <summary>
    /// Standard deviation σ_b of the noise added to the count of unclipped updates. When null, m/20 for m clients in the
    /// round (the paper's recommendation). Must exceed z/2, or the update noise z_Δ would be infinite.
    /// </summary>
    /// <value>Default null (m/20). When set, positive and finite.</value>
    /// <remarks>Andrew et al. 2021.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double? ClippedCountStddev { get; set; }

    /// <summary>Sample rate q: each client's probability of being sampled in a round, used only for accounting.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.SampleRate"/> (1.0). In (0, 1].</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "must be in (0, 1]")]
    public double SampleRate { get; set; } = DpFedAvgDefaults.SampleRate;

    /// <summary>The fixed denominator m̂ (expected clients per round), as <see cref="FixedClippingOptions.ExpectedClientsPerRound"/>.</summary>
    /// <value>Default null (the number of updates received). When set, positive and finite.</value>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double? ExpectedClientsPerRound { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ClippedCountStddev is double sigmaB && NoiseMultiplier > 0 && sigmaB > 0 && 2 * sigmaB <= NoiseMultiplier)
        {
            yield return new ValidationResult(
                $"must exceed NoiseMultiplier/2 ({NoiseMultiplier / 2}) so that the update noise (z⁻² − (2σ_b)⁻²)^(−1/2) is finite",
                [nameof(ClippedCountStddev)]);
        }
    }
}
