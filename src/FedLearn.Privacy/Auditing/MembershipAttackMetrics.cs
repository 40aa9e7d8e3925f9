namespace FedLearn.Privacy.Auditing;

/// <summary>How well one membership attack separates the target's members from its non-members.</summary>
/// <param name="Attack">The attack's name.</param>
/// <param name="Auc">The exact area under the ROC curve (0.5 = chance).</param>
/// <param name="Operating">The counts at the attack's own operating threshold (chosen without looking at the target's membership).</param>
/// <param name="TprAt1PercentFpr">The highest TPR with FPR ≤ 1%, over every threshold (the ROC read at 1%, as is customary; not a held-out figure).</param>
/// <param name="TprAt01PercentFpr">The highest TPR with FPR ≤ 0.1%. With fewer than 1,000 non-members this allows no false positive at all.</param>
/// <param name="EmpiricalEpsilon">The ε lower bound, with the threshold chosen on one half of the scores and evaluated on the other.</param>
public sealed record MembershipAttackMetrics(
    string Attack,
    double Auc,
    RocPoint Operating,
    double TprAt1PercentFpr,
    double TprAt01PercentFpr,
    EmpiricalEpsilonEstimate EmpiricalEpsilon)
{
    /// <summary>Attack accuracy at the operating threshold: (TP + TN) / all examples.</summary>
    public double Accuracy => Operating.Accuracy;

    /// <summary>TPR at the operating threshold.</summary>
    public double TruePositiveRate => Operating.TruePositiveRate;

    /// <summary>FPR at the operating threshold.</summary>
    public double FalsePositiveRate => Operating.FalsePositiveRate;

    /// <summary>Computes every metric from the scores of the target's members and non-members.</summary>
    /// <param name="attack">The attack's name.</param>
    /// <param name="memberScores">Scores of the members (at least 2, no NaN); higher means "more likely a member".</param>
    /// <param name="nonMemberScores">Scores of the non-members (at least 2, no NaN).</param>
    /// <param name="operatingThreshold">The attack's own threshold (member when score ≥ it).</param>
    /// <param name="delta">δ of the ε lower bound, in [0, 1).</param>
    /// <param name="confidence">Confidence of the ε lower bound, in (0, 1).</param>
    /// <param name="seed">Seed of the random halving behind the ε lower bound.</param>
    /// <returns>The metrics.</returns>
    /// <exception cref="ArgumentException">A score set is too small or holds NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException">δ or the confidence is out of range.</exception>
    public static MembershipAttackMetrics Compute(
        string attack, ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores, double operatingThreshold, double delta, double confidence, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(attack);
        return new MembershipAttackMetrics(
            attack,
            RocAnalysis.Auc(memberScores, nonMemberScores),
            RocAnalysis.At(memberScores, nonMemberScores, operatingThreshold),
            RocAnalysis.TprAtFpr(memberScores, nonMemberScores, 0.01),
            RocAnalysis.TprAtFpr(memberScores, nonMemberScores, 0.001),
            Auditing.EmpiricalEpsilon.Estimate(memberScores, nonMemberScores, delta, confidence, seed));
    }
}
