using System.ComponentModel.DataAnnotations;

namespace FedLearn.Privacy.Auditing;

/// <summary>Settings of <see cref="MembershipAuditor"/>. Validated when the auditor is built.</summary>
public sealed class MembershipAuditOptions
{
    /// <summary>Shadow models to train (0 skips the shadow attack; the loss attack then takes its threshold from the target's own training loss, as Yeom et al. assume the adversary knows it).</summary>
    /// <value>Default <see cref="MembershipAuditDefaults.ShadowCount"/> (4). In [0, 1000].</value>
    /// <remarks>Shokri et al. 2017, "Membership Inference Attacks Against Machine Learning Models".</remarks>
    [Range(0, 1000, ErrorMessage = "must be in [0, 1000].")]
    public int ShadowCount { get; set; } = MembershipAuditDefaults.ShadowCount;

    /// <summary>δ at which the empirical ε lower bound is stated (compare with the accountant's ε at the same δ).</summary>
    /// <value>Default <see cref="MembershipAuditDefaults.Delta"/> (1e-5). In [0, 1).</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true, ErrorMessage = "must be in [0, 1).")]
    public double Delta { get; set; } = MembershipAuditDefaults.Delta;

    /// <summary>Confidence of the Clopper–Pearson bounds behind the empirical ε lower bound.</summary>
    /// <value>Default <see cref="MembershipAuditDefaults.Confidence"/> (0.95). In (0, 1).</value>
    [Range(0.0, 1.0, MinimumIsExclusive = true, MaximumIsExclusive = true, ErrorMessage = "must be in (0, 1).")]
    public double Confidence { get; set; } = MembershipAuditDefaults.Confidence;

    /// <summary>L2 penalty of the shadow attack's logistic regression, on standardised features.</summary>
    /// <value>Default <see cref="MembershipAuditDefaults.AttackL2"/> (1e-3). Positive and finite.</value>
    [Range(0.0, double.MaxValue, MinimumIsExclusive = true, ErrorMessage = "must be positive and finite.")]
    public double AttackL2 { get; set; } = MembershipAuditDefaults.AttackL2;

    /// <summary>The audit's seed: the shadow data split, every model's initial weights and fit seed, and the ε-bound halving derive from it.</summary>
    /// <value>Default <see cref="MembershipAuditDefaults.Seed"/>.</value>
    public ulong Seed { get; set; } = MembershipAuditDefaults.Seed;
}
