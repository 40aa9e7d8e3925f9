namespace FedLearn.Torch.Privacy;

/// <summary>The defaults of <see cref="DpSgdOptions"/>.</summary>
public static class DpSgdDefaults
{
    /// <summary>Default δ: 1e-5.</summary>
    public const double Delta = 1e-5;

    /// <summary>Default per-sample clipping norm C: 1.</summary>
    public const double MaxGradientNorm = 1.0;

    /// <summary>Default expected (logical) batch size q·N: 256.</summary>
    public const int ExpectedBatchSize = 256;

    /// <summary>Default largest physical batch computed at once: 256.</summary>
    public const int MaxPhysicalBatchSize = 256;

    /// <summary>Default optimizer: SGD.</summary>
    public const TorchOptimizerKind Optimizer = TorchOptimizerKind.Sgd;

    /// <summary>Default SGD momentum: 0.9.</summary>
    public const double Momentum = 0.9;

    /// <summary>Default ε tolerance of noise calibration: 0.01.</summary>
    public const double CalibrationTolerance = 0.01;
}
