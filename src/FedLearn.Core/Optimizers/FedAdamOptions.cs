using System.ComponentModel.DataAnnotations;

namespace FedLearn.Optimizers;

/// <summary>Settings of <see cref="FedAdamOptimizer"/>. Validated when the optimizer is built.</summary>
public sealed class FedAdamOptions : IValidatableObject
{
    /// <summary>Server learning rate η.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAdamLearningRate"/> (0.1, as Flower). Positive and finite.</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ServerLearningRate { get; set; } = ServerOptimizerDefaults.FedAdamLearningRate;

    /// <summary>First-moment decay β1: m ← β1·m + (1 − β1)·Δ.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAdamBeta1"/> (0.9). In [0, 1).</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1)")]
    public double Beta1 { get; set; } = ServerOptimizerDefaults.FedAdamBeta1;

    /// <summary>Second-moment decay β2: v ← β2·v + (1 − β2)·Δ².</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAdamBeta2"/> (0.99). In [0, 1).</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1)")]
    public double Beta2 { get; set; } = ServerOptimizerDefaults.FedAdamBeta2;

    /// <summary>Adaptivity τ: the step is η·m/(√v + τ), and the second moment starts at τ².</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAdamTau"/> (1e-9, as Flower). Positive and finite.</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2 (v₀ = τ²).</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double Tau { get; set; } = ServerOptimizerDefaults.FedAdamTau;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => AdaptiveOptionsRules.Validate(Tau);
}
