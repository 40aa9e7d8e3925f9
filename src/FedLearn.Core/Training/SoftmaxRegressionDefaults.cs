namespace FedLearn.Training;

/// <summary>Default settings of <see cref="SoftmaxRegressionTrainer"/>.</summary>
public static class SoftmaxRegressionDefaults
{
    /// <summary>L2 weight decay λ: 0 (none).</summary>
    public const double WeightDecay = 0.0;
}
