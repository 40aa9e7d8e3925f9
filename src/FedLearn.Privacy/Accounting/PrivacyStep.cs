namespace FedLearn.Privacy.Accounting;

/// <summary>A run of identical steps of the subsampled Gaussian mechanism in an accountant's history.</summary>
/// <param name="NoiseMultiplier">σ: noise standard deviation over L2 sensitivity.</param>
/// <param name="SampleRate">q: Poisson sampling probability of each record (or client) per step.</param>
/// <param name="Steps">How many consecutive steps used these parameters; ≥ 1.</param>
public readonly record struct PrivacyStep(double NoiseMultiplier, double SampleRate, long Steps);
