using System.ComponentModel.DataAnnotations;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>Settings of <see cref="LocalDpEngine"/>. Validated when the engine is built.</summary>
public sealed class LocalDpOptions
{
    /// <summary>Clipping norm C of the client's delta.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.ClippingNorm"/> (1.0). Positive and finite.</value>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ClippingNorm { get; set; } = DpFedAvgDefaults.ClippingNorm;

    /// <summary>Noise multiplier σ: the client adds N(0, (σC)²) to every coordinate of its clipped delta.</summary>
    /// <value>Default <see cref="DpFedAvgDefaults.NoiseMultiplier"/> (1.0). Finite and ≥ 0.</value>
    [Range(0.0, double.MaxValue, ErrorMessage = "must be finite and ≥ 0")]
    public double NoiseMultiplier { get; set; } = DpFedAvgDefaults.NoiseMultiplier;

    /// <summary>Where the noise comes from.</summary>
    /// <value>Default <see cref="LocalNoiseSource.Secure"/>.</value>
    [EnumDataType(typeof(LocalNoiseSource), ErrorMessage = "is not a known noise source")]
    public LocalNoiseSource NoiseSource { get; set; } = LocalNoiseSource.Secure;
}
