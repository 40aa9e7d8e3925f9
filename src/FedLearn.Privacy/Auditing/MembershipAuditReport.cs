namespace FedLearn.Privacy.Auditing;

/// <summary>The result of a membership audit (see <see cref="MembershipAuditor"/>).</summary>
/// <param name="Members">The target's training examples.</param>
/// <param name="NonMembers">The held-out examples the attacks had to tell apart from the members.</param>
/// <param name="ShadowCount">Shadow models trained.</param>
/// <param name="TargetTraining">The target's training metrics, as its trainer reported them.</param>
/// <param name="TargetMemberAccuracy">The target's accuracy on its members (training accuracy).</param>
/// <param name="TargetNonMemberAccuracy">The target's accuracy on the non-members.</param>
/// <param name="TargetEvaluationAccuracy">The target's accuracy on the evaluation set; NaN when none was given.</param>
/// <param name="ShadowMemberAccuracy">The shadows' mean accuracy on their own members; NaN without shadows.</param>
/// <param name="ShadowNonMemberAccuracy">The shadows' mean accuracy on their non-members; NaN without shadows.</param>
/// <param name="LossThreshold">The loss-threshold attack (Yeom et al. 2018).</param>
/// <param name="ShadowModel">The shadow-model attack (Shokri et al. 2017); null without shadows.</param>
public sealed record MembershipAuditReport(
    int Members,
    int NonMembers,
    int ShadowCount,
    TrainingMetrics TargetTraining,
    double TargetMemberAccuracy,
    double TargetNonMemberAccuracy,
    double TargetEvaluationAccuracy,
    double ShadowMemberAccuracy,
    double ShadowNonMemberAccuracy,
    MembershipAttackMetrics LossThreshold,
    MembershipAttackMetrics? ShadowModel)
{
    /// <summary>The canary attack (see <see cref="CanarySet"/>): loss on the canary label, members being the included canaries; null when the audit had no canaries.</summary>
    public MembershipAttackMetrics? Canary { get; init; }

    /// <summary>The share of included canaries the target predicts with their canary label (how many it memorised); NaN without canaries.</summary>
    public double CanaryMemberAccuracy { get; init; } = double.NaN;

    /// <summary>The share of held-out canaries the target predicts with their canary label (chance level of a wrong label); NaN without canaries.</summary>
    public double CanaryNonMemberAccuracy { get; init; } = double.NaN;
}
