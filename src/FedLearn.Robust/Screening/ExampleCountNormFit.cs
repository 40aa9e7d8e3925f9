using System.Buffers;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.Screening;

/// <summary>
/// The norm statistic of <see cref="NormModel.ExampleCount"/>: a typical norm ‖Δ‖ = e^a·n^b for n reported examples,
/// the line ln‖Δ‖ = a + b·ln n fitted by Siegel's repeated median on the reference updates, and every update's modified
/// z-score of the ratio of its norm to the typical norm of its size, against the reference updates' ratios.
/// </summary>
/// <remarks>
/// <para>Siegel's repeated median (1982, "Robust regression using repeated medians") takes for every point the median
/// of its slopes to all others and then the median of those: it stays bounded until half the points are outliers,
/// where Theil–Sen breaks down at 29% and least squares at one point. Bounded is not unbiased, though: a group of long
/// updates among the small clients tilts the line towards them. The line is therefore fitted twice, the second time
/// without the updates whose ratio the first line already scores beyond the threshold (one reweighting step). The
/// intercept is the median of ln‖Δ‖ − b·ln n, so the reference ratios have median 1.</para>
/// <para>The slope is kept in [0, 1]: k local steps of similar gradient length move a model at most k times as far as
/// one (b = 1 when every step points the same way, b = ½ for a random walk), and more data never moves it less. The
/// clamp also bounds what a client gains by lying about its count: claiming c times more examples buys an update at most
/// c times longer. With slope 0 (for example when every client reports the same count) the ratios are the norms over a
/// common constant, and the score equals that of <see cref="NormModel.Pooled"/>.</para>
/// <para>The score is taken on the ratio, not on the log residual: a logarithm shrinks a threefold boost to ln 3 ≈ 1.1
/// while it stretches short updates, and boosts are the attack this model is for.</para>
/// <para>It is invariant to a common factor on every norm (learning rate, model scale) and on every count (examples or
/// steps of a fixed batch size), and, all medians, to the order of the clients. It costs O(n² log n) for n clients,
/// whatever the model size. Pure; thread-safe.</para>
/// </remarks>
internal static class ExampleCountNormFit
{
    /// <summary>Smallest slope of ln‖Δ‖ against ln n: more data never moves a client less.</summary>
    public const double MinSlope = 0;

    /// <summary>Largest slope: k steps move a model at most k times as far as one.</summary>
    public const double MaxSlope = 1;

    /// <summary>
    /// The modified z-score of every update's norm ratio, the norm the line predicts for it and the fitted slope, or null
    /// when fewer than <see cref="UpdateScreenerDefaults.MinimumForStatistics"/> reference updates have a positive norm.
    /// </summary>
    /// <param name="norms">Every update's Euclidean norm (finite, not negative).</param>
    /// <param name="counts">Every update's reported example count (positive and finite).</param>
    /// <param name="reference">Which updates the line and the spread are taken from.</param>
    /// <param name="threshold">The score beyond which an update is left out of the second fit.</param>
    public static (double[] Z, double[] Expected, double Slope)? Score(ReadOnlySpan<double> norms, ReadOnlySpan<double> counts, ReadOnlySpan<bool> reference, double threshold)
    {
        if (counts.Length != norms.Length || reference.Length != norms.Length)
        {
            throw new ArgumentException($"Norm fit: {norms.Length} norms, {counts.Length} counts and {reference.Length} reference marks must agree.");
        }

        var x = new List<double>(norms.Length);
        var y = new List<double>(norms.Length);
        for (int i = 0; i < norms.Length; i++)
        {
            if (reference[i] && norms[i] > 0)
            {
                x.Add(Math.Log(counts[i]));
                y.Add(Math.Log(norms[i]));
            }
        }

        if (x.Count < UpdateScreenerDefaults.MinimumForStatistics)
        {
            return null;
        }

        double[] lx = x.ToArray();
        double[] ly = y.ToArray();
        (double intercept, double slope) = Fit(lx, ly);
        double[] firstZ = UpdateScreener.ModifiedZ(Ratios(lx, ly, intercept, slope), Ratios(lx, ly, intercept, slope));
        double[] inX = lx.Where((_, k) => Math.Abs(firstZ[k]) <= threshold).ToArray();
        double[] inY = ly.Where((_, k) => Math.Abs(firstZ[k]) <= threshold).ToArray();
        if (inX.Length >= UpdateScreenerDefaults.MinimumForStatistics && inX.Length < lx.Length)
        {
            slope = Fit(inX, inY).Slope;
            intercept = Intercept(lx, ly, slope);
        }

        double[] expected = new double[norms.Length];
        double[] ratios = new double[norms.Length];
        for (int i = 0; i < norms.Length; i++)
        {
            expected[i] = Math.Exp(intercept + (slope * Math.Log(counts[i])));
            ratios[i] = norms[i] / expected[i];
        }

        return (UpdateScreener.ModifiedZ(ratios, Ratios(lx, ly, intercept, slope)), expected, slope);
    }

    /// <summary>
    /// Siegel's repeated median slope: the median over points of the median of their slopes to every point with another x.
    /// Points whose x no other point differs from are skipped; with no such pair (all x equal) the slope is 0.
    /// </summary>
    public static double RepeatedMedianSlope(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        int n = x.Length;
        double[] scratch = ArrayPool<double>.Shared.Rent(Math.Max(n, 1));
        double[] perPoint = new double[n];
        int points = 0;
        try
        {
            for (int i = 0; i < n; i++)
            {
                int m = 0;
                for (int j = 0; j < n; j++)
                {
                    double dx = x[j] - x[i];
                    if (dx != 0)
                    {
                        scratch[m++] = (y[j] - y[i]) / dx;
                    }
                }

                if (m > 0)
                {
                    perPoint[points++] = MedianInPlace(scratch.AsSpan(0, m));
                }
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(scratch);
        }

        return points == 0 ? 0 : MedianInPlace(perPoint.AsSpan(0, points));
    }

    private static (double Intercept, double Slope) Fit(double[] x, double[] y)
    {
        double slope = Math.Clamp(RepeatedMedianSlope(x, y), MinSlope, MaxSlope);
        return (Intercept(x, y, slope), slope);
    }

    private static double Intercept(double[] x, double[] y, double slope) =>
        VectorMath.Median(x.Select((xk, k) => y[k] - (slope * xk)).ToArray());

    // ‖Δ‖ / (e^a·n^b) of the fitted points, from their logarithms.
    private static double[] Ratios(double[] x, double[] y, double intercept, double slope) =>
        x.Select((xk, k) => Math.Exp(y[k] - intercept - (slope * xk))).ToArray();

    // Sorts the scratch values: the n inner medians would otherwise copy n values each.
    private static double MedianInPlace(Span<double> values)
    {
        values.Sort();
        int mid = values.Length / 2;
        return values.Length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }
}
