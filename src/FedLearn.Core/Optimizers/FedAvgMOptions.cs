using System.ComponentModel.DataAnnotations;

namespace FedLearn.Optimizers;

/// <summary>Settings of <see cref="FedAvgMOptimizer"/>. Validated when the optimizer is built.</summary>
public sealed class FedAvgMOptions
{
    /// <summary>Server learning rate η applied to the momentum buffer.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAvgMLearningRate"/> (1.0). Positive and finite.</value>
    /// <remarks>Hsu et al. 2019, "Measuring the Effects of Non-Identical Data Distribution for Federated Visual Classification".</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ServerLearningRate { get; set; } = ServerOptimizerDefaults.FedAvgMLearningRate;

    /// <summary>Server momentum β: v ← βv + Δ.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAvgMMomentum"/> (0.9). In [0, 1); 0 is FedAvg with rate η.</value>
    /// <remarks>Hsu et al. 2019, "Measuring the Effects of Non-Identical Data Distribution for Federated Visual Classification".</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1)")]
    public double Momentum { get; set; } = ServerOptimizerDefaults.FedAvgMMomentum;
}
