using System.Globalization;

namespace FedLearn.Privacy.Accounting;

/// <summary>
/// Rényi-DP of one step of the Poisson-subsampled Gaussian mechanism: every record is included with probability q and
/// Gaussian noise of standard deviation σ times the L2 sensitivity is added to the sum. Pure and thread-safe.
/// </summary>
/// <remarks>
/// <para>Mironov, Talwar and Zhang 2019, "Rényi Differential Privacy of the Sampled Gaussian Mechanism", Section 3.3:
/// RDP(α) = log(A_α)/(α − 1), with A_α = Σᵢ C(α,i)(1 − q)^(α−i) qⁱ exp((i² − i)/(2σ²)) for integer α and the
/// two-series formula (each series split at z₀ = σ² log(1/q − 1) + ½ and weighted by erfc) for fractional α.</para>
/// <para>Special cases: q = 0 gives 0 (nobody's data is used), σ = 0 gives +∞ (no noise), q = 1 gives the plain
/// Gaussian mechanism's α/(2σ²), and α = +∞ gives +∞. These are the conventions of Opacus's RDP analysis, whose
/// values this class reproduces.</para>
/// </remarks>
public static class SubsampledGaussianRdp
{
    // The fractional-order series stops once both new terms fall below e^−30 relative to 1 (as in the paper's code).
    private const double SeriesCutoff = -30.0;

    // A guard against parameters so extreme that the series would run for ever (σ in the thousands with q near ½).
    private const int MaxSeriesTerms = 1_000_000;

    /// <summary>RDP at order <paramref name="order"/> of one step.</summary>
    /// <param name="noiseMultiplier">σ, the noise standard deviation divided by the L2 sensitivity; ≥ 0.</param>
    /// <param name="sampleRate">q, the Poisson sampling probability, in [0, 1].</param>
    /// <param name="order">α &gt; 1; may be +∞.</param>
    /// <returns>RDP(α) ≥ 0; +∞ when σ = 0 or α = +∞ (unless q = 0).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside the ranges above or NaN.</exception>
    public static double Compute(double noiseMultiplier, double sampleRate, double order)
    {
        Check(noiseMultiplier, sampleRate);
        CheckOrder(order);
        return ComputeUnchecked(noiseMultiplier, sampleRate, order);
    }

    /// <summary>RDP of <paramref name="steps"/> steps at every order of <paramref name="orders"/>, written to <paramref name="destination"/>.</summary>
    /// <param name="noiseMultiplier">σ ≥ 0.</param>
    /// <param name="sampleRate">q in [0, 1].</param>
    /// <param name="steps">Number of steps; ≥ 0. RDP composes additively, so the result is steps × RDP of one step.</param>
    /// <param name="orders">Orders α &gt; 1.</param>
    /// <param name="destination">Receives one value per order; same length as <paramref name="orders"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public static void Compute(double noiseMultiplier, double sampleRate, long steps, ReadOnlySpan<double> orders, Span<double> destination)
    {
        Check(noiseMultiplier, sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (orders.Length != destination.Length)
        {
            throw new ArgumentException($"There are {orders.Length} orders but the destination has {destination.Length} values.", nameof(destination));
        }

        for (int k = 0; k < orders.Length; k++)
        {
            CheckOrder(orders[k]);
        }

        for (int k = 0; k < orders.Length; k++)
        {
            double perStep = ComputeUnchecked(noiseMultiplier, sampleRate, orders[k]);
            destination[k] = steps == 0 ? 0.0 : perStep * steps;
        }
    }

    internal static double ComputeUnchecked(double sigma, double q, double alpha)
    {
        if (q == 0)
        {
            return 0;
        }

        if (sigma == 0)
        {
            return double.PositiveInfinity;
        }

        if (q == 1.0)
        {
            return alpha / (2 * sigma * sigma);
        }

        if (double.IsPositiveInfinity(alpha))
        {
            return double.PositiveInfinity;
        }

        double logA = double.IsInteger(alpha) && alpha <= int.MaxValue
            ? LogAIntegerOrder(sigma, q, (int)alpha)
            : LogAFractionalOrder(sigma, q, alpha);
        return logA / (alpha - 1);
    }

    /// <summary>log A_α for integer α: the binomial sum, summed in log space around its largest term.</summary>
    internal static double LogAIntegerOrder(double sigma, double q, int alpha)
    {
        double logQ = Math.Log(q);
        double log1MinusQ = LogMath.Log1P(-q);
        double inverseTwoSigmaSquared = 1.0 / (2 * sigma * sigma);

        // Two passes (find the largest term, then sum e^(term − max)) keep the sum exact to rounding for any α and q,
        // where the terms span hundreds of orders of magnitude.
        double max = double.NegativeInfinity;
        double logBinomial = 0.0;
        for (int i = 0; i <= alpha; i++)
        {
            if (i > 0)
            {
                logBinomial += Math.Log(alpha - i + 1) - Math.Log(i);
            }

            max = Math.Max(max, Term(i, logBinomial));
        }

        double sum = 0.0;
        logBinomial = 0.0;
        for (int i = 0; i <= alpha; i++)
        {
            if (i > 0)
            {
                logBinomial += Math.Log(alpha - i + 1) - Math.Log(i);
            }

            sum += Math.Exp(Term(i, logBinomial) - max);
        }

        return max + Math.Log(sum);

        double Term(int i, double logBin) =>
            logBin + (i * logQ) + ((alpha - i) * log1MinusQ) + (((double)i * i) - i) * inverseTwoSigmaSquared;
    }

    /// <summary>log A_α for fractional α by the two series of Mironov, Talwar and Zhang (2019), Section 3.3.</summary>
    internal static double LogAFractionalOrder(double sigma, double q, double alpha)
    {
        double logQ = Math.Log(q);
        double log1MinusQ = LogMath.Log1P(-q);
        double sigmaSquared = sigma * sigma;
        double sqrt2Sigma = Math.Sqrt(2.0) * sigma;
        double logHalf = Math.Log(0.5);
        double z0 = (sigmaSquared * Math.Log((1 / q) - 1)) + 0.5;

        double logA0 = double.NegativeInfinity;
        double logA1 = double.NegativeInfinity;
        double binomial = 1.0; // C(α, i) for real α, by C(α, i) = C(α, i − 1)·(α − i + 1)/i; it changes sign past i > α.
        for (int i = 0; ; i++)
        {
            if (i > MaxSeriesTerms)
            {
                throw new ArgumentException(
                    $"The RDP series at order {alpha.ToString(CultureInfo.InvariantCulture)} did not converge in {MaxSeriesTerms} terms " +
                    $"(σ = {sigma.ToString(CultureInfo.InvariantCulture)}, q = {q.ToString(CultureInfo.InvariantCulture)}); use integer orders for such parameters.");
            }

            if (i > 0)
            {
                binomial *= (alpha - i + 1) / i;
            }

            double logCoefficient = Math.Log(Math.Abs(binomial));
            double j = alpha - i;
            double logT0 = logCoefficient + (i * logQ) + (j * log1MinusQ);
            double logT1 = logCoefficient + (j * logQ) + (i * log1MinusQ);
            double logE0 = logHalf + LogMath.LogErfc((i - z0) / sqrt2Sigma);
            double logE1 = logHalf + LogMath.LogErfc((z0 - j) / sqrt2Sigma);
            double logS0 = logT0 + ((((double)i * i) - i) / (2 * sigmaSquared)) + logE0;
            double logS1 = logT1 + (((j * j) - j) / (2 * sigmaSquared)) + logE1;

            if (binomial > 0)
            {
                logA0 = LogMath.LogAdd(logA0, logS0);
                logA1 = LogMath.LogAdd(logA1, logS1);
            }
            else
            {
                logA0 = LogMath.LogSub(logA0, logS0);
                logA1 = LogMath.LogSub(logA1, logS1);
            }

            if (Math.Max(logS0, logS1) < SeriesCutoff)
            {
                break;
            }
        }

        return LogMath.LogAdd(logA0, logA1);
    }

    internal static void Check(double noiseMultiplier, double sampleRate)
    {
        if (!(noiseMultiplier >= 0) || double.IsInfinity(noiseMultiplier))
        {
            throw new ArgumentOutOfRangeException(
                nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be finite and ≥ 0.");
        }

        if (!(sampleRate >= 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in [0, 1].");
        }
    }

    internal static void CheckOrder(double order)
    {
        if (!(order > 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(order), order, $"RDP orders must be greater than 1 (or +∞); got {order.ToString(CultureInfo.InvariantCulture)}.");
        }
    }
}
