using System.ComponentModel.DataAnnotations;

namespace FedLearn.Optimizers;

/// <summary>Settings of <see cref="FedYogiOptimizer"/>. Validated when the optimizer is built.</summary>
public sealed class FedYogiOptions : IValidatableObject
{
    /// <summary>Server learning rate η.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedYogiLearningRate"/> (0.01, as Flower). Positive and finite.</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ServerLearningRate { get; set; } = ServerOptimizerDefaults.FedYogiLearningRate;

    /// <summary>First-moment decay β1: m ← β1·m + (1 − β1)·Δ.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedYogiBeta1"/> (0.9). In [0, 1).</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1)")]
    public double Beta1 { get; set; } = ServerOptimizerDefaults.FedYogiBeta1;

    /// <summary>Second-moment decay β2: v ← v − (1 − β2)·Δ²·sign(v − Δ²).</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedYogiBeta2"/> (0.99). In [0, 1).</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1)")]
    public double Beta2 { get; set; } = ServerOptimizerDefaults.FedYogiBeta2;

    /// <summary>Adaptivity τ: the step is η·m/(√v + τ), and the second moment starts at τ².</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedYogiTau"/> (1e-3, as Flower). Positive and finite.</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2 (v₀ = τ²).</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double Tau { get; set; } = ServerOptimizerDefaults.FedYogiTau;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => AdaptiveOptionsRules.Validate(Tau);
}
