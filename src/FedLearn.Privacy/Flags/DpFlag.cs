namespace FedLearn.Privacy.Flags;

/// <summary>The parsed value of a simulation's <c>--dp</c> flag; see <see cref="DpFlagParser"/>.</summary>
/// <param name="Mode">The kind of differential privacy.</param>
/// <param name="TargetEpsilon">ε to calibrate DP-SGD's noise to (<see cref="DpMode.Sample"/>); null otherwise.</param>
/// <param name="Delta">δ (<see cref="DpMode.Sample"/>); null otherwise.</param>
/// <param name="ClippingNorm">C: per-sample (<see cref="DpMode.Sample"/>) or per-client (<see cref="DpMode.Client"/>) clipping norm; null otherwise.</param>
/// <param name="NoiseMultiplier">σ (<see cref="DpMode.Client"/>, <see cref="DpMode.ClientAdaptive"/>); null otherwise.</param>
/// <param name="TargetQuantile">γ (<see cref="DpMode.ClientAdaptive"/>); null otherwise.</param>
public sealed record DpFlag(
    DpMode Mode,
    double? TargetEpsilon = null,
    double? Delta = null,
    double? ClippingNorm = null,
    double? NoiseMultiplier = null,
    double? TargetQuantile = null)
{
    /// <summary>No differential privacy.</summary>
    public static DpFlag None { get; } = new(DpMode.None);
}
