using System.ComponentModel.DataAnnotations;

namespace FedLearn.Optimizers;

/// <summary>Settings of <see cref="FedAvgOptimizer"/>. Validated when the optimizer is built.</summary>
public sealed class FedAvgOptions
{
    /// <summary>Server learning rate η: the global weights move by η times the aggregated delta.</summary>
    /// <value>Default <see cref="ServerOptimizerDefaults.FedAvgLearningRate"/> (1.0, plain FedAvg). Positive and finite.</value>
    /// <remarks>McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized Data"; η ≠ 1 is the FedOpt view of Reddi et al. 2021 with SGD on the server.</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite")]
    public double ServerLearningRate { get; set; } = ServerOptimizerDefaults.FedAvgLearningRate;
}
