namespace FedLearn.Privacy.Auditing;

/// <summary>The defaults of <see cref="MembershipAuditOptions"/>.</summary>
public static class MembershipAuditDefaults
{
    /// <summary>Shadow models trained to teach the shadow attack.</summary>
    public const int ShadowCount = 4;

    /// <summary>δ at which the empirical ε lower bound is stated.</summary>
    public const double Delta = 1e-5;

    /// <summary>Confidence of the empirical ε lower bound.</summary>
    public const double Confidence = 0.95;

    /// <summary>L2 penalty of the shadow attack's logistic regression, on standardised features.</summary>
    public const double AttackL2 = 1e-3;

    /// <summary>The audit's seed.</summary>
    public const ulong Seed = 2017;
}
