namespace FedLearn.Privacy.Accounting;

/// <summary>The outcome of <see cref="NoiseCalibration"/>.</summary>
/// <param name="NoiseMultiplier">σ, noise standard deviation over L2 sensitivity.</param>
/// <param name="Epsilon">The ε this σ gives for the asked δ, sample rate and steps; ≤ the target.</param>
public sealed record NoiseCalibrationResult(double NoiseMultiplier, double Epsilon);
