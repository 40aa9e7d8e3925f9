using FedLearn.Data;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// The examples of a membership audit, all from one distribution and pairwise disjoint: the target's training set
/// (members), examples it never sees (non-members), a pool from which the shadow models draw their own members and
/// non-members, and optionally a test set on which the target's accuracy is reported.
/// </summary>
public sealed record MembershipAuditData
{
    /// <summary>The target model's training examples (at least 2).</summary>
    public required DatasetView Members { get; init; }

    /// <summary>Examples the target never trains on (at least 2); usually as many as <see cref="Members"/>.</summary>
    public required DatasetView NonMembers { get; init; }

    /// <summary>The shadow models' data: it must hold ShadowCount × (members + non-members) examples.</summary>
    public required DatasetView ShadowPool { get; init; }

    /// <summary>Optional test examples for the target's accuracy (null for none).</summary>
    public DatasetView? Evaluation { get; init; }

    /// <summary>
    /// Optional canaries (null for none): the target trains on <see cref="Members"/> plus the included canaries, and
    /// the canary attack tells the included canaries from the held-out ones. The shadows never see a canary. The
    /// canaries' records should appear in no other set, and at least 2 must be included and 2 held out.
    /// </summary>
    public CanarySet? Canaries { get; init; }
}
