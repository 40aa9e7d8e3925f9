using FedLearn.Privacy.Auditing;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class RocAnalysisTests
{
    [Test]
    public void Auc_is_one_for_perfect_separation_and_zero_when_reversed()
    {
        double[] high = [0.9, 0.8, 0.75];
        double[] low = [0.1, 0.2, 0.3, 0.7];

        Assert.Multiple(() =>
        {
            Assert.That(RocAnalysis.Auc(high, low), Is.EqualTo(1.0));
            Assert.That(RocAnalysis.Auc(low, high), Is.EqualTo(0.0));
        });
    }

    [Test]
    public void Auc_is_one_half_when_every_score_is_equal()
    {
        Assert.That(RocAnalysis.Auc([3.0, 3.0, 3.0], [3.0, 3.0]), Is.EqualTo(0.5));
    }

    [Test]
    public void Auc_counts_ties_as_one_half_in_a_hand_computed_case()
    {
        // Pairs (member, non-member): 0.9 beats 0.5 and 0.1 (2); each 0.5 ties 0.5 (2 × 0.5) and beats 0.1 (2):
        // 5 of 6 pairs.
        Assert.That(RocAnalysis.Auc([0.9, 0.5, 0.5], [0.5, 0.1]), Is.EqualTo(5.0 / 6.0).Within(1e-15));
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public Property Auc_equals_the_pairwise_count(int[] memberScores, int[] nonMemberScores)
    {
        // Small integer scores produce many ties.
        double[] members = [.. (memberScores ?? []).Select(s => (double)(s % 5))];
        double[] nonMembers = [.. (nonMemberScores ?? []).Select(s => (double)(s % 5))];
        if (members.Length == 0 || nonMembers.Length == 0)
        {
            return true.ToProperty();
        }

        double wins = 0;
        foreach (double m in members)
        {
            foreach (double n in nonMembers)
            {
                wins += m > n ? 1 : m == n ? 0.5 : 0;
            }
        }

        double expected = wins / (members.Length * nonMembers.Length);
        return (Math.Abs(RocAnalysis.Auc(members, nonMembers) - expected) < 1e-12).ToProperty();
    }

    [Test]
    public void Curve_lists_every_distinct_threshold_from_the_top()
    {
        IReadOnlyList<RocPoint> curve = RocAnalysis.Curve([0.9, 0.5, 0.5], [0.5, 0.1]);

        Assert.That(curve.Select(p => (p.Threshold, p.TruePositives, p.FalsePositives)), Is.EqualTo(new[]
        {
            (double.PositiveInfinity, 0, 0),
            (0.9, 1, 0),
            (0.5, 3, 1),
            (0.1, 3, 2),
        }));
    }

    [Test]
    public void Tpr_at_a_low_fpr_takes_the_best_threshold_within_the_limit()
    {
        // Non-members 0..99 (FPR steps of 1%), members 50.5, 98.5, 99.5, 100.5. No false positive: threshold above 99,
        // two members. One (99): threshold 98.5 adds the member 98.5. The member 50.5 needs 49 (51..99).
        double[] nonMembers = [.. Enumerable.Range(0, 100).Select(i => (double)i)];
        double[] members = [50.5, 98.5, 99.5, 100.5];

        Assert.Multiple(() =>
        {
            Assert.That(RocAnalysis.TprAtFpr(members, nonMembers, 0.0), Is.EqualTo(0.5));
            Assert.That(RocAnalysis.TprAtFpr(members, nonMembers, 0.01), Is.EqualTo(0.75));
            Assert.That(RocAnalysis.TprAtFpr(members, nonMembers, 0.02), Is.EqualTo(0.75));
            Assert.That(RocAnalysis.TprAtFpr(members, nonMembers, 0.48), Is.EqualTo(0.75));
            Assert.That(RocAnalysis.TprAtFpr(members, nonMembers, 0.49), Is.EqualTo(1.0));
        });
    }

    [Test]
    public void At_counts_scores_at_or_above_the_threshold()
    {
        RocPoint point = RocAnalysis.At([1.0, 2.0, 3.0], [0.0, 2.0], 2.0);

        Assert.Multiple(() =>
        {
            Assert.That((point.TruePositives, point.FalsePositives), Is.EqualTo((2, 1)));
            Assert.That(point.Accuracy, Is.EqualTo(3.0 / 5.0));
        });
    }

    [Test]
    public void Rejects_empty_sets_and_nan_scores()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => RocAnalysis.Auc([], [1.0]), Throws.ArgumentException.With.Message.Contains("empty"));
            Assert.That(() => RocAnalysis.Auc([1.0], [double.NaN]), Throws.ArgumentException.With.Message.Contains("Score 0 is NaN"));
        });
    }
}
