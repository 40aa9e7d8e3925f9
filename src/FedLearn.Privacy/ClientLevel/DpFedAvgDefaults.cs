namespace FedLearn.Privacy.ClientLevel;

/// <summary>Default settings of the client-level DP components, in one place.</summary>
/// <remarks>
/// Adaptive-clipping defaults follow Andrew, Thakkar, McMahan and Ramaswamy 2021, "Differentially Private Learning with
/// Adaptive Clipping" (NeurIPS), and match Flower's <c>DifferentialPrivacyServerSideAdaptiveClipping</c>.
/// </remarks>
public static class DpFedAvgDefaults
{
    /// <summary>Clipping norm C of the fixed-clipping wrappers and of local DP: 1.0.</summary>
    public const double ClippingNorm = 1.0;

    /// <summary>Noise multiplier σ (noise standard deviation over the clipping norm): 1.0.</summary>
    public const double NoiseMultiplier = 1.0;

    /// <summary>Sample rate q, each client's chance of taking part in a round: 1.0 (every client every round), which
    /// claims no amplification by sampling and so never overstates privacy.</summary>
    public const double SampleRate = 1.0;

    /// <summary>Initial clipping norm of adaptive clipping: 0.1.</summary>
    public const double InitialClippingNorm = 0.1;

    /// <summary>Target quantile γ of adaptive clipping (the fraction of updates meant to fall under C): 0.5.</summary>
    public const double TargetQuantile = 0.5;

    /// <summary>Learning rate η_C of adaptive clipping's geometric update: 0.2.</summary>
    public const double ClippingLearningRate = 0.2;

    /// <summary>Standard deviation of the clipped-count noise, as a fraction of the clients per round: 1/20 (σ_b = m/20).</summary>
    public const double ClippedCountStddevFraction = 1.0 / 20.0;
}
