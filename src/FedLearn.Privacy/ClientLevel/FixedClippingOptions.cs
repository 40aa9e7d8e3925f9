using System.ComponentModel.DataAnnotations;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// Settings of <see cref="ServerSideFixedClippingAggregator"/> and <see cref="ClientSideFixedClippingAggregator"/>.
/// Validated when the aggregator is built; later changes to this object do not affect a built aggregator.
/// </summary>
public sealed class FixedClippingOptions
{
    /// <summary>Clipping norm C: every client's delta is scaled to L2 norm ≤ C.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.ClippingNorm"/> (1.0). Positive and finite.</value>
    /// <remarks>McMahan, Ramage, Talwar and Zhang 2018, "Learning Differentially Private Recurrent Language Models".</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ClippingNorm { get; set; } = DpFedAvgDefaults.ClippingNorm;

    /// <summary>Noise multiplier σ: the aggregate gets N(0, (σC/m)²) per coordinate.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.NoiseMultiplier"/> (1.0). Finite and ≥ 0; 0 adds no noise (ε = ∞).</value>
    /// <remarks>McMahan et al. 2018.</remarks>
    [Range(0.0, double.MaxValue, ErrorMessage = "must be finite and ≥ 0")]
    public double NoiseMultiplier { get; set; } = DpFedAvgDefaults.NoiseMultiplier;

    /// <summary>Sample rate q: each client's probability of being sampled in a round, used only for accounting.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.SampleRate"/> (1.0). In (0, 1].</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, ErrorMessage = "must be in (0, 1]")]
    public double SampleRate { get; set; } = DpFedAvgDefaults.SampleRate;

    /// <summary>
    /// The fixed denominator m̂ (the expected number of clients per round, q·N). When set, the aggregate is
    /// Σ clip(Δᵢ)/m̂ + N(0, (σC/m̂)²), McMahan et al.'s fixed-denominator estimator, whose sensitivity to adding or removing
    /// one client is exactly C/m̂. When null the actual number of updates m is the denominator, as Flower does.
    /// </summary>
    /// <value>Default null. When set, positive and finite.</value>
    /// <remarks>McMahan et al. 2018, estimator f̃_f.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double? ExpectedClientsPerRound { get; set; }
}
