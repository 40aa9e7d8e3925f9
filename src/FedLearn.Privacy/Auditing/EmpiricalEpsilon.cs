namespace FedLearn.Privacy.Auditing;

/// <summary>
/// The ε that an observed membership attack proves a training algorithm must have: if the algorithm is (ε, δ)-DP,
/// every attack has FNR + e^ε·FPR ≥ 1 − δ and FPR + e^ε·FNR ≥ 1 − δ, so an attack with true and false positive rates
/// (TPR, FPR) shows ε ≥ max(ln((TPR − δ)/FPR), ln((1 − FPR − δ)/(1 − TPR))). Pure functions, thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// The rates are measured on finitely many examples, so the bound uses the pessimistic end of a Clopper–Pearson
/// interval for each: the lower bound TPR_lo of TPR and the upper bound FPR_hi of FPR, each one-sided at
/// (1 − confidence)/2, so that both hold together with probability at least the confidence (union bound). Both
/// terms of the maximum decrease when TPR falls or FPR rises, so (TPR_lo, FPR_hi) is the pessimistic corner for
/// both: ε_lb = max(0, ln((TPR_lo − δ)/FPR_hi), ln((1 − FPR_hi − δ)/(1 − TPR_lo))).
/// </para>
/// <para>
/// Choosing the threshold that maximises the bound on the same scores it is then evaluated on would overstate it.
/// <see cref="Estimate"/> therefore splits the members and the non-members at random into two halves, picks the
/// threshold on one half and reports the bound measured on the other, so the reported confidence holds as stated.
/// </para>
/// <para>Jagielski, Ullman and Oprea 2020, "Auditing Differentially Private Machine Learning: How Private is Private SGD?";
/// Kairouz, Oh and Viswanath 2015, "The Composition Theorem for Differential Privacy" (the hypothesis-testing view).</para>
/// </remarks>
public static class EmpiricalEpsilon
{
    /// <summary>The ε lower bound implied by one operating point, with Clopper–Pearson bounds at <paramref name="confidence"/>.</summary>
    /// <param name="point">The counts of the attack at one threshold.</param>
    /// <param name="delta">δ, in [0, 1).</param>
    /// <param name="confidence">The joint confidence of the two rate bounds, in (0, 1), for example 0.95.</param>
    /// <returns>ε_lb ≥ 0 (0 when the attack does no better than chance at this confidence).</returns>
    /// <exception cref="ArgumentOutOfRangeException">δ or the confidence is out of range, or the point has no members or no non-members.</exception>
    public static double LowerBound(RocPoint point, double delta, double confidence)
    {
        ArgumentNullException.ThrowIfNull(point);
        CheckDeltaAndConfidence(delta, confidence);
        (double tprLower, double fprUpper) = PessimisticRates(point, confidence);
        return FromRates(tprLower, fprUpper, delta);
    }

    /// <summary>The ε lower bound of exact rates (no sampling error): max(0, ln((TPR − δ)/FPR), ln((1 − FPR − δ)/(1 − TPR))).</summary>
    /// <param name="truePositiveRate">TPR in [0, 1].</param>
    /// <param name="falsePositiveRate">FPR in [0, 1].</param>
    /// <param name="delta">δ, in [0, 1).</param>
    /// <returns>ε_lb ≥ 0; +∞ when a rate is exactly 0 or 1 and the other is not.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static double FromRates(double truePositiveRate, double falsePositiveRate, double delta)
    {
        if (!(truePositiveRate >= 0 && truePositiveRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(truePositiveRate), truePositiveRate, "TPR must be in [0, 1].");
        }

        if (!(falsePositiveRate >= 0 && falsePositiveRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(falsePositiveRate), falsePositiveRate, "FPR must be in [0, 1].");
        }

        if (!(delta >= 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in [0, 1).");
        }

        double epsilon = 0;
        double first = truePositiveRate - delta;
        if (first > 0)
        {
            epsilon = Math.Max(epsilon, Math.Log(first) - Math.Log(falsePositiveRate));
        }

        double second = 1 - falsePositiveRate - delta;
        if (second > 0)
        {
            epsilon = Math.Max(epsilon, Math.Log(second) - Math.Log(1 - truePositiveRate));
        }

        return epsilon;
    }

    /// <summary>
    /// The ε lower bound of the best threshold, chosen honestly: the members and non-members are split at random into
    /// a selection half and an evaluation half; the threshold that maximises <see cref="LowerBound"/> on the
    /// selection half (placed midway to the next lower score) is evaluated on the evaluation half, whose bound is returned.
    /// </summary>
    /// <param name="memberScores">Scores of the members (at least 2, no NaN); higher means "more likely a member".</param>
    /// <param name="nonMemberScores">Scores of the non-members (at least 2, no NaN).</param>
    /// <param name="delta">δ, in [0, 1).</param>
    /// <param name="confidence">The joint confidence of the two rate bounds on the evaluation half, in (0, 1).</param>
    /// <param name="seed">Seed of the random split.</param>
    /// <returns>The bound, the threshold and the counts it rests on.</returns>
    /// <exception cref="ArgumentException">A set has fewer than 2 scores or holds NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException">δ or the confidence is out of range.</exception>
    public static EmpiricalEpsilonEstimate Estimate(ReadOnlySpan<double> memberScores, ReadOnlySpan<double> nonMemberScores, double delta, double confidence, ulong seed)
    {
        RocAnalysis.CheckScores(memberScores, nameof(memberScores));
        RocAnalysis.CheckScores(nonMemberScores, nameof(nonMemberScores));
        CheckDeltaAndConfidence(delta, confidence);
        if (memberScores.Length < 2 || nonMemberScores.Length < 2)
        {
            throw new ArgumentException($"An honest threshold choice splits the scores in two halves, so it needs at least 2 members and 2 non-members; got {memberScores.Length} and {nonMemberScores.Length}.");
        }

        var random = new DeterministicRandom(seed);
        (double[] selectMembers, double[] evaluateMembers) = Split(memberScores, random);
        (double[] selectNonMembers, double[] evaluateNonMembers) = Split(nonMemberScores, random);

        IReadOnlyList<RocPoint> curve = RocAnalysis.Curve(selectMembers, selectNonMembers);
        int best = 0;
        double bestEpsilon = 0;
        for (int i = 0; i < curve.Count; i++)
        {
            double epsilon = LowerBound(curve[i], delta, confidence);
            if (epsilon > bestEpsilon)
            {
                bestEpsilon = epsilon;
                best = i;
            }
        }

        // Any threshold between the chosen score and the next lower one classifies the selection half alike; the
        // midpoint, rather than the chosen score itself, does not favour either class on the evaluation half.
        double threshold = curve[best].Threshold;
        if (best > 0 && best + 1 < curve.Count && double.IsFinite(threshold) && double.IsFinite(curve[best + 1].Threshold))
        {
            double midpoint = (0.5 * threshold) + (0.5 * curve[best + 1].Threshold);
            threshold = midpoint > curve[best + 1].Threshold && midpoint < threshold ? midpoint : threshold;
        }

        RocPoint evaluated = RocAnalysis.At(evaluateMembers, evaluateNonMembers, threshold);
        (double tprLower, double fprUpper) = PessimisticRates(evaluated, confidence);
        return new EmpiricalEpsilonEstimate(
            FromRates(tprLower, fprUpper, delta), confidence, delta, threshold, evaluated, tprLower, fprUpper, bestEpsilon);
    }

    private static (double TprLower, double FprUpper) PessimisticRates(RocPoint point, double confidence)
    {
        if (point.Members < 1 || point.NonMembers < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(point), point, "The operating point needs at least one member and one non-member.");
        }

        double alpha = (1 - confidence) / 2;
        return (ClopperPearson.LowerBound(point.TruePositives, point.Members, alpha),
                ClopperPearson.UpperBound(point.FalsePositives, point.NonMembers, alpha));
    }

    private static (double[] First, double[] Second) Split(ReadOnlySpan<double> scores, DeterministicRandom random)
    {
        double[] shuffled = scores.ToArray();
        random.Shuffle(shuffled.AsSpan());
        int half = shuffled.Length / 2;
        return (shuffled[..half], shuffled[half..]);
    }

    private static void CheckDeltaAndConfidence(double delta, double confidence)
    {
        if (!(delta >= 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in [0, 1).");
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be in (0, 1).");
        }
    }
}
