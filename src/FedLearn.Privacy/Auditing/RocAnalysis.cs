namespace FedLearn.Privacy.Auditing;

/// <summary>
/// The ROC of a membership score: the attack says "member" when the score is at or above a threshold, so a higher
/// score must mean "more likely a member". Exact over every threshold, ties included. Pure functions, thread-safe;
/// the inputs are read, never changed.
/// </summary>
public static class RocAnalysis
{
    /// <summary>
    /// The exact area under the ROC curve: the probability that a random member scores above a random non-member,
    /// ties counting one half (the Mann–Whitney statistic U / (n_members · n_non-members)), from mid-ranks.
    /// </summary>
    /// <param name="memberScores">Scores of the members (at least one, no NaN).</param>
    /// <param name="nonMemberScores">Scores of the non-members (at least one, no NaN).</param>
    /// <returns>The AUC in [0, 1]: 1 for perfect separation, 0.5 when every score is equal.</returns>
    /// <exception cref="ArgumentException">A set is empty or holds NaN.</exception>
    public static double Auc(ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores)
    {
        CheckScores(memberScores, nameof(memberScores));
        CheckScores(nonMemberScores, nameof(nonMemberScores));
        (double Score, bool Member)[] all = Merge(memberScores, nonMemberScores);
        Array.Sort(all, static (x, y) => x.Score.CompareTo(y.Score));

        // Sum of the members' ranks (1-based), every tied group taking its mid-rank.
        double memberRankSum = 0;
        for (int start = 0; start < all.Length;)
        {
            int end = start;
            int membersInGroup = 0;
            while (end < all.Length && all[end].Score == all[start].Score)
            {
                membersInGroup += all[end].Member ? 1 : 0;
                end++;
            }

            double midRank = 0.5 * (start + 1 + end);
            memberRankSum += membersInGroup * midRank;
            start = end;
        }

        double members = memberScores.Length;
        double u = memberRankSum - (members * (members + 1) / 2);
        return u / (members * nonMemberScores.Length);
    }

    /// <summary>
    /// Every operating point of the attack: one point per distinct score used as threshold (member when score ≥
    /// threshold), from the highest score down, after the point (0, 0) of the threshold +∞.
    /// </summary>
    /// <param name="memberScores">Scores of the members (at least one, no NaN).</param>
    /// <param name="nonMemberScores">Scores of the non-members (at least one, no NaN).</param>
    /// <returns>The points in order of increasing FPR and TPR; the last is (1, 1).</returns>
    /// <exception cref="ArgumentException">A set is empty or holds NaN.</exception>
    public static IReadOnlyList<RocPoint> Curve(ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores)
    {
        CheckScores(memberScores, nameof(memberScores));
        CheckScores(nonMemberScores, nameof(nonMemberScores));
        (double Score, bool Member)[] all = Merge(memberScores, nonMemberScores);
        Array.Sort(all, static (x, y) => y.Score.CompareTo(x.Score));
        var points = new List<RocPoint> { new(double.PositiveInfinity, 0, memberScores.Length, 0, nonMemberScores.Length) };
        int truePositives = 0, falsePositives = 0;
        for (int start = 0; start < all.Length;)
        {
            int end = start;
            while (end < all.Length && all[end].Score == all[start].Score)
            {
                if (all[end].Member)
                {
                    truePositives++;
                }
                else
                {
                    falsePositives++;
                }

                end++;
            }

            points.Add(new RocPoint(all[start].Score, truePositives, memberScores.Length, falsePositives, nonMemberScores.Length));
            start = end;
        }

        return points;
    }

    /// <summary>The highest TPR among the thresholds whose FPR is at most <paramref name="maxFalsePositiveRate"/>.</summary>
    /// <param name="memberScores">Scores of the members (at least one, no NaN).</param>
    /// <param name="nonMemberScores">Scores of the non-members (at least one, no NaN).</param>
    /// <param name="maxFalsePositiveRate">The FPR limit, in [0, 1]. With n non-members, FPR moves in steps of 1/n, so a limit below 1/n allows no false positive at all.</param>
    /// <returns>The TPR in [0, 1] (0 when only the threshold +∞ qualifies).</returns>
    /// <exception cref="ArgumentException">A set is empty or holds NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxFalsePositiveRate"/> is outside [0, 1].</exception>
    public static double TprAtFpr(ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores, double maxFalsePositiveRate)
    {
        if (!(maxFalsePositiveRate >= 0 && maxFalsePositiveRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxFalsePositiveRate), maxFalsePositiveRate, "The FPR limit must be in [0, 1].");
        }

        double best = 0;
        foreach (RocPoint point in Curve(memberScores, nonMemberScores))
        {
            if (point.FalsePositiveRate <= maxFalsePositiveRate)
            {
                best = Math.Max(best, point.TruePositiveRate);
            }
        }

        return best;
    }

    /// <summary>The confusion counts of the rule "member when score ≥ <paramref name="threshold"/>".</summary>
    /// <param name="memberScores">Scores of the members (at least one, no NaN).</param>
    /// <param name="nonMemberScores">Scores of the non-members (at least one, no NaN).</param>
    /// <param name="threshold">The threshold (not NaN).</param>
    /// <returns>The operating point.</returns>
    /// <exception cref="ArgumentException">A set is empty or holds NaN, or the threshold is NaN.</exception>
    public static RocPoint At(ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores, double threshold)
    {
        CheckScores(memberScores, nameof(memberScores));
        CheckScores(nonMemberScores, nameof(nonMemberScores));
        if (double.IsNaN(threshold))
        {
            throw new ArgumentException("The threshold is NaN.", nameof(threshold));
        }

        return new RocPoint(threshold, CountAtOrAbove(memberScores, threshold), memberScores.Length, CountAtOrAbove(nonMemberScores, threshold), nonMemberScores.Length);
    }

    internal static void CheckScores(ReadOnlySpan<double> scores, string name)
    {
        if (scores.IsEmpty)
        {
            throw new ArgumentException("The score set is empty.", name);
        }

        for (int i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentException($"Score {i} is NaN.", name);
            }
        }
    }

    private static int CountAtOrAbove(ReadOnlySpan<double> scores, double threshold)
    {
        int count = 0;
        foreach (double score in scores)
        {
            count += score >= threshold ? 1 : 0;
        }

        return count;
    }

    private static (double Score, bool Member)[] Merge(ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores)
    {
        var all = new (double Score, bool Member)[memberScores.Length + nonMemberScores.Length];
        for (int i = 0; i < memberScores.Length; i++)
        {
            all[i] = (memberScores[i], true);
        }

        for (int i = 0; i < nonMemberScores.Length; i++)
        {
            all[memberScores.Length + i] = (nonMemberScores[i], false);
        }

        return all;
    }
}
