using FedLearn.Robust.Attacks;

namespace FedLearn.Robust.Specs;

/// <summary>A parsed <c>--byzantine &lt;fraction&gt;:&lt;attack&gt;</c> setting.</summary>
/// <param name="Fraction">The share of clients that are Byzantine, in [0, 1).</param>
/// <param name="Attack">What they do.</param>
public sealed record ByzantineSpec(double Fraction, IByzantineAttack Attack)
{
    /// <summary>True when the attack poisons training data (label flipping) rather than the updates.</summary>
    public bool PoisonsLabels => Attack is LabelFlipAttack;
}
