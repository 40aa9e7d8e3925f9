using System.ComponentModel.DataAnnotations;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Settings of <see cref="DpSgdTrainer"/>: the privacy target (a target ε over a planned number of epochs, or a fixed
/// noise multiplier), clipping, batch sizes and the optimizer. Validated when the trainer is built.
/// </summary>
/// <remarks>
/// Abadi et al. 2016, "Deep Learning with Differential Privacy". Give either <see cref="TargetEpsilon"/> with
/// <see cref="PlannedEpochs"/> (the noise multiplier is calibrated so that that many epochs spend at most the target),
/// or <see cref="NoiseMultiplier"/> (0 trains with clipping and no noise, ε = ∞).
/// </remarks>
public sealed class DpSgdOptions : IValidatableObject
{
    /// <summary>The ε to spend over <see cref="PlannedEpochs"/>; the noise multiplier is calibrated to it (RDP accountant).</summary>
    /// <value>Default null. Positive and finite when set; exactly one of this and <see cref="NoiseMultiplier"/> is set.</value>
    public double? TargetEpsilon { get; set; }

    /// <summary>The noise multiplier σ (noise standard deviation σ·C on the summed clipped gradients).</summary>
    /// <value>Default null. Finite and ≥ 0 when set; exactly one of this and <see cref="TargetEpsilon"/> is set.</value>
    public double? NoiseMultiplier { get; set; }

    /// <summary>δ of the guarantee the trainer reports and calibrates to.</summary>
    /// <value>Default <see cref="DpSgdDefaults.Delta"/> (1e-5). In (0, 1).</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "must be in (0, 1).")]
    public double Delta { get; set; } = DpSgdDefaults.Delta;

    /// <summary>
    /// The epochs the trainer will run over its lifetime (all fits together, e.g. rounds × local epochs), for which
    /// <see cref="TargetEpsilon"/> is budgeted. Running more spends more than the target; the trainer reports what it spent.
    /// </summary>
    /// <value>Default null. Required with <see cref="TargetEpsilon"/>; positive and finite.</value>
    public double? PlannedEpochs { get; set; }

    /// <summary>C: every per-sample gradient is scaled to an L2 norm of at most C (over all parameters together).</summary>
    /// <value>Default <see cref="DpSgdDefaults.MaxGradientNorm"/> (1). Positive and finite.</value>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite.")]
    public double MaxGradientNorm { get; set; } = DpSgdDefaults.MaxGradientNorm;

    /// <summary>
    /// The expected batch size q·N; each record joins a batch with probability q = this / N (Poisson sampling) and the
    /// noisy sum is divided by it. <see cref="FitConfig.BatchSize"/> is not used.
    /// </summary>
    /// <value>Default <see cref="DpSgdDefaults.ExpectedBatchSize"/> (256). At least 1 (capped at N).</value>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1.")]
    public int ExpectedBatchSize { get; set; } = DpSgdDefaults.ExpectedBatchSize;

    /// <summary>The most records whose per-sample gradients are held at once; a larger sampled batch is processed in parts (same result).</summary>
    /// <value>Default <see cref="DpSgdDefaults.MaxPhysicalBatchSize"/> (256). At least 1.</value>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1.")]
    public int MaxPhysicalBatchSize { get; set; } = DpSgdDefaults.MaxPhysicalBatchSize;

    /// <summary>The optimizer applied to the noisy gradient (post-processing: it costs no privacy).</summary>
    /// <value>Default <see cref="DpSgdDefaults.Optimizer"/> (SGD).</value>
    [EnumDataType(typeof(TorchOptimizerKind), ErrorMessage = "must be Sgd or Adam.")]
    public TorchOptimizerKind Optimizer { get; set; } = DpSgdDefaults.Optimizer;

    /// <summary>SGD momentum (ignored by Adam).</summary>
    /// <value>Default <see cref="DpSgdDefaults.Momentum"/> (0.9). In [0, 1).</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1).")]
    public double Momentum { get; set; } = DpSgdDefaults.Momentum;

    /// <summary>The ε tolerance of noise calibration: the calibrated σ spends between target − tolerance and target.</summary>
    /// <value>Default <see cref="DpSgdDefaults.CalibrationTolerance"/> (0.01). Positive and finite.</value>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite.")]
    public double CalibrationTolerance { get; set; } = DpSgdDefaults.CalibrationTolerance;

    /// <summary>Records per batch when evaluating.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.EvaluationBatchSize"/> (256). At least 1.</value>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1.")]
    public int EvaluationBatchSize { get; set; } = TorchTrainerDefaults.EvaluationBatchSize;

    /// <summary>Where the model runs.</summary>
    /// <value>Default <see cref="TorchTrainerDefaults.Device"/> (Auto).</value>
    [EnumDataType(typeof(TorchDevicePreference), ErrorMessage = "must be Auto or Cpu.")]
    public TorchDevicePreference Device { get; set; } = TorchTrainerDefaults.Device;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TargetEpsilon is null == NoiseMultiplier is null)
        {
            yield return new ValidationResult("set exactly one of TargetEpsilon and NoiseMultiplier.", [nameof(TargetEpsilon), nameof(NoiseMultiplier)]);
        }

        if (TargetEpsilon is { } epsilon && (!(epsilon > 0) || double.IsInfinity(epsilon)))
        {
            yield return new ValidationResult("must be positive and finite.", [nameof(TargetEpsilon)]);
        }

        if (NoiseMultiplier is { } sigma && (!(sigma >= 0) || double.IsInfinity(sigma)))
        {
            yield return new ValidationResult("must be finite and ≥ 0.", [nameof(NoiseMultiplier)]);
        }

        if (TargetEpsilon is not null && PlannedEpochs is null)
        {
            yield return new ValidationResult("is required with TargetEpsilon: the epochs the budget must last.", [nameof(PlannedEpochs)]);
        }

        if (PlannedEpochs is { } epochs && (!(epochs > 0) || double.IsInfinity(epochs)))
        {
            yield return new ValidationResult("must be positive and finite.", [nameof(PlannedEpochs)]);
        }
    }
}
