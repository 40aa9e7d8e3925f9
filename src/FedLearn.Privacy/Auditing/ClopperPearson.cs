namespace FedLearn.Privacy.Auditing;

/// <summary>
/// Exact (Clopper–Pearson) confidence bounds for a binomial proportion: given k successes in n trials, the bounds
/// come from Beta quantiles, lower = B⁻¹(α; k, n − k + 1) and upper = B⁻¹(1 − α; k + 1, n − k), each holding with
/// probability at least 1 − α whatever the true proportion. Pure functions, thread-safe.
/// </summary>
/// <remarks>Clopper and Pearson 1934, "The use of confidence or fiducial limits illustrated in the case of the binomial".</remarks>
public static class ClopperPearson
{
    /// <summary>The one-sided lower bound: P(p ≥ bound) ≥ 1 − <paramref name="alpha"/>.</summary>
    /// <param name="successes">k, in [0, <paramref name="trials"/>].</param>
    /// <param name="trials">n, at least 1.</param>
    /// <param name="alpha">The one-sided error probability, in (0, 1).</param>
    /// <returns>0 when k = 0, else the α-quantile of Beta(k, n − k + 1).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static double LowerBound(long successes, long trials, double alpha)
    {
        Check(successes, trials, alpha);
        return successes == 0 ? 0 : BetaDistribution.Quantile(alpha, successes, trials - successes + 1);
    }

    /// <summary>The one-sided upper bound: P(p ≤ bound) ≥ 1 − <paramref name="alpha"/>.</summary>
    /// <param name="successes">k, in [0, <paramref name="trials"/>].</param>
    /// <param name="trials">n, at least 1.</param>
    /// <param name="alpha">The one-sided error probability, in (0, 1).</param>
    /// <returns>1 when k = n, else the (1 − α)-quantile of Beta(k + 1, n − k).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static double UpperBound(long successes, long trials, double alpha)
    {
        Check(successes, trials, alpha);
        return successes == trials ? 1 : BetaDistribution.Quantile(1 - alpha, successes + 1, trials - successes);
    }

    /// <summary>The two-sided interval at <paramref name="confidence"/>: each end is a one-sided bound at (1 − confidence)/2.</summary>
    /// <param name="successes">k, in [0, <paramref name="trials"/>].</param>
    /// <param name="trials">n, at least 1.</param>
    /// <param name="confidence">The coverage, in (0, 1), for example 0.95.</param>
    /// <returns>The lower and upper ends.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static (double Lower, double Upper) Interval(long successes, long trials, double confidence)
    {
        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must be in (0, 1).");
        }

        double alpha = (1 - confidence) / 2;
        return (LowerBound(successes, trials, alpha), UpperBound(successes, trials, alpha));
    }

    private static void Check(long successes, long trials, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(trials, 1);
        if (successes < 0 || successes > trials)
        {
            throw new ArgumentOutOfRangeException(nameof(successes), successes, $"The successes must be in [0, {trials}].");
        }

        if (!(alpha > 0 && alpha < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The error probability alpha must be in (0, 1).");
        }
    }
}
