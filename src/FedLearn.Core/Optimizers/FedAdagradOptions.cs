using System.ComponentModel.DataAnnotations;

namespace FedLearn.Optimizers;

/// <summary>Settings of <see cref="FedAdagradOptimizer"/>. Validated when the optimizer is built.</summary>
public sealed class FedAdagradOptions : IValidatableObject
{
    /// <summary>Server learning rate η.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAdagradLearningRate"/> (0.1, as Flower). Positive and finite.</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ServerLearningRate { get; set; } = ServerOptimizerDefaults.FedAdagradLearningRate;

    /// <summary>First-moment decay β1: m ← β1·m + (1 − β1)·Δ.</summary>
    /// <value>
    /// Default <see cref="ServerOptimizerDefaults.FedAdagradBeta1"/> (0.0, as Flower: m is the current delta). In [0, 1).
    /// </value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2, which allows any β1 in [0, 1).</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1)")]
    public double Beta1 { get; set; } = ServerOptimizerDefaults.FedAdagradBeta1;

    /// <summary>Adaptivity τ: the step is η·m/(√v + τ), and the second moment starts at τ².</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAdagradTau"/> (1e-9, as Flower). Positive and finite.</value>
    /// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2 (v₀ = τ²).</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double Tau { get; set; } = ServerOptimizerDefaults.FedAdagradTau;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) => AdaptiveOptionsRules.Validate(Tau);
}
