using System.ComponentModel.DataAnnotations;

namespace FedLearn.Training;

/// <summary>
/// Settings of <see cref="SoftmaxRegressionTrainer"/> that the server does not send each round (those are in
/// <see cref="FitConfig"/>). Validated when the trainer is built.
/// </summary>
public sealed class SoftmaxRegressionOptions
{
    /// <summary>
    /// L2 weight decay λ: λ·w is added to the gradient of every parameter, biases included (the convention of
    /// <c>torch.optim.SGD</c>'s <c>weight_decay</c>), which minimises the loss plus (λ/2)·‖w‖².
    /// </summary>
    /// <value>Default <see cref="SoftmaxRegressionDefaults.WeightDecay"/> (0, none). Zero or positive, finite.</value>
    [Range(0.0, double.MaxValue, ErrorMessage = "must be zero or positive and finite")]
    public double WeightDecay { get; set; } = SoftmaxRegressionDefaults.WeightDecay;
}
