namespace FedLearn.Optimizers;

/// <summary>
/// Default hyperparameters of the server optimizers, in one place. The adaptive optimizers use the values Flower's
/// strategies of the same name use, so results are comparable with that framework.
/// </summary>
/// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization" (ICLR); Hsu et al. 2019 for FedAvgM.</remarks>
public static class ServerOptimizerDefaults
{
    /// <summary>FedAvg server learning rate η: 1.0, which is plain FedAvg (the global model becomes the average).</summary>
    public const double FedAvgLearningRate = 1.0;

    /// <summary>FedAvgM server learning rate η: 1.0.</summary>
    public const double FedAvgMLearningRate = 1.0;

    /// <summary>FedAvgM server momentum β: 0.9.</summary>
    public const double FedAvgMMomentum = 0.9;

    /// <summary>FedAdagrad server learning rate η: 0.1.</summary>
    public const double FedAdagradLearningRate = 0.1;

    /// <summary>FedAdagrad first-moment decay β1: 0.0, so the first moment is the current delta (as in Flower).</summary>
    public const double FedAdagradBeta1 = 0.0;

    /// <summary>FedAdagrad adaptivity τ: 1e-9.</summary>
    public const double FedAdagradTau = 1e-9;

    /// <summary>FedAdam server learning rate η: 0.1.</summary>
    public const double FedAdamLearningRate = 0.1;

    /// <summary>FedAdam first-moment decay β1: 0.9.</summary>
    public const double FedAdamBeta1 = 0.9;

    /// <summary>FedAdam second-moment decay β2: 0.99.</summary>
    public const double FedAdamBeta2 = 0.99;

    /// <summary>FedAdam adaptivity τ: 1e-9.</summary>
    public const double FedAdamTau = 1e-9;

    /// <summary>FedYogi server learning rate η: 0.01.</summary>
    public const double FedYogiLearningRate = 0.01;

    /// <summary>FedYogi first-moment decay β1: 0.9.</summary>
    public const double FedYogiBeta1 = 0.9;

    /// <summary>FedYogi second-moment decay β2: 0.99.</summary>
    public const double FedYogiBeta2 = 0.99;

    /// <summary>FedYogi adaptivity τ: 1e-3.</summary>
    public const double FedYogiTau = 1e-3;
}
