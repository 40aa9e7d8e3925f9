using System.ComponentModel.DataAnnotations;

namespace FedLearn.Torch;

/// <summary>
/// Settings of <see cref="TorchTrainer"/> that stay fixed for a client (the per-round ones — epochs, batch size,
/// learning rate, FedProx μ, seed — come from <see cref="FitConfig"/>). Validated when the trainer is built.
/// </summary>
public sealed class TorchTrainerOptions : IValidatableObject
{
    /// <summary>The local optimizer.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.Optimizer"/> (SGD).</value>
    [EnumDataType(typeof(TorchOptimizerKind), ErrorMessage = "must be Sgd or Adam.")]
    public TorchOptimizerKind Optimizer { get; set; } = TorchTrainerDefaults.Optimizer;

    /// <summary>SGD momentum (ignored by Adam). A fresh optimizer is built every round, so momentum does not carry across rounds.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.Momentum"/> (0.9). In [0, 1).</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1).")]
    public double Momentum { get; set; } = TorchTrainerDefaults.Momentum;

    /// <summary>Use Nesterov momentum (SGD only, with a positive <see cref="Momentum"/>).</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.Nesterov"/> (false).</value>
    /// <remarks>Sutskever et al. 2013, "On the importance of initialization and momentum in deep learning".</remarks>
    public bool Nesterov { get; set; } = TorchTrainerDefaults.Nesterov;

    /// <summary>L2 weight decay added to the gradient (coupled, as torch.optim's <c>weight_decay</c>), for SGD and Adam.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.WeightDecay"/> (0). Non-negative and finite.</value>
    [Range(0.0, double.MaxValue, ErrorMessage = "must be non-negative and finite.")]
    public double WeightDecay { get; set; } = TorchTrainerDefaults.WeightDecay;

    /// <summary>Adam's first-moment decay β1.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.AdamBeta1"/> (0.9). In [0, 1).</value>
    /// <remarks>Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization".</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1).")]
    public double AdamBeta1 { get; set; } = TorchTrainerDefaults.AdamBeta1;

    /// <summary>Adam's second-moment decay β2.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.AdamBeta2"/> (0.999). In [0, 1).</value>
    /// <remarks>Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization".</remarks>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1).")]
    public double AdamBeta2 { get; set; } = TorchTrainerDefaults.AdamBeta2;

    /// <summary>Adam's ε added to the denominator.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.AdamEpsilon"/> (1e-8). Positive and finite.</value>
    /// <remarks>Kingma and Ba 2015, "Adam: A Method for Stochastic Optimization".</remarks>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite.")]
    public double AdamEpsilon { get; set; } = TorchTrainerDefaults.AdamEpsilon;

    /// <summary>Records per batch when evaluating (no gradients are kept, so it can be larger than the training batch).</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.EvaluationBatchSize"/> (256). At least 1.</value>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1.")]
    public int EvaluationBatchSize { get; set; } = TorchTrainerDefaults.EvaluationBatchSize;

    /// <summary>Where the model runs: CUDA when available (<see cref="TorchDevicePreference.Auto"/>) or always the CPU.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.Device"/> (Auto).</value>
    [EnumDataType(typeof(TorchDevicePreference), ErrorMessage = "must be Auto or Cpu.")]
    public TorchDevicePreference Device { get; set; } = TorchTrainerDefaults.Device;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Nesterov && Optimizer != TorchOptimizerKind.Sgd)
        {
            yield return new ValidationResult("applies to SGD only; set Optimizer to Sgd or turn Nesterov off.", [nameof(Nesterov)]);
        }
        else if (Nesterov && !(Momentum > 0))
        {
            yield return new ValidationResult("needs a positive Momentum.", [nameof(Nesterov)]);
        }
    }
}
