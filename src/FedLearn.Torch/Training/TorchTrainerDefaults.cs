namespace FedLearn.Torch;

/// <summary>The defaults of <see cref="TorchTrainerOptions"/>.</summary>
public static class TorchTrainerDefaults
{
    /// <summary>Default optimizer: SGD.</summary>
    public const TorchOptimizerKind Optimizer = TorchOptimizerKind.Sgd;

    /// <summary>Default SGD momentum: 0.9.</summary>
    public const double Momentum = 0.9;

    /// <summary>Default Nesterov momentum: off.</summary>
    public const bool Nesterov = false;

    /// <summary>Default L2 weight decay: 0 (none).</summary>
    public const double WeightDecay = 0.0;

    /// <summary>Default Adam β1: 0.9.</summary>
    public const double AdamBeta1 = 0.9;

    /// <summary>Default Adam β2: 0.999.</summary>
    public const double AdamBeta2 = 0.999;

    /// <summary>Default Adam ε: 1e-8.</summary>
    public const double AdamEpsilon = 1e-8;

    /// <summary>Default evaluation batch size: 256.</summary>
    public const int EvaluationBatchSize = 256;

    /// <summary>Default device preference: CUDA when available, else the CPU.</summary>
    public const TorchDevicePreference Device = TorchDevicePreference.Auto;
}
