using System.Globalization;

namespace FedLearn.Privacy.Accounting;

/// <summary>Converts RDP curves to (ε, δ)-DP. Pure and thread-safe.</summary>
public static class RdpConversion
{
    /// <summary>
    /// The smallest ε over the given orders for which an (α, RDP(α))-RDP mechanism is (ε, δ)-DP:
    /// ε = min_α [RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1)].
    /// </summary>
    /// <param name="orders">Orders α &gt; 1 (or +∞).</param>
    /// <param name="rdp">RDP at each order (≥ 0, may be +∞); same length as <paramref name="orders"/>.</param>
    /// <param name="delta">δ in (0, 1).</param>
    /// <returns>
    /// ε (never negative: a negative bound means (0, δ)-DP and is reported as 0) and the order that attains it;
    /// ε = +∞ and order NaN when every order gives +∞.
    /// </returns>
    /// <remarks>
    /// Balle, Barthe, Gaboardi, Hsu and Sato 2020, "Hypothesis Testing Interpretations and Rényi Differential Privacy",
    /// Theorem 21. It is tighter than the classical ε = RDP(α) + log(1/δ)/(α − 1) of Mironov 2017 at every order.
    /// When the optimum lies at the first or last order, a wider list of orders may give a smaller ε.
    /// </remarks>
    /// <exception cref="ArgumentException">The spans are empty or differ in length, or an RDP value is negative or NaN.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1), or an order is not &gt; 1.</exception>
    public static PrivacySpent ToEpsilon(ReadOnlySpan<double> orders, ReadOnlySpan<double> rdp, double delta)
    {
        if (orders.IsEmpty || orders.Length != rdp.Length)
        {
            throw new ArgumentException(
                $"Conversion needs one RDP value per order and at least one order; got {orders.Length} orders and {rdp.Length} values.",
                nameof(rdp));
        }

        CheckDelta(delta);
        double logDelta = Math.Log(delta);
        double best = double.PositiveInfinity;
        double bestOrder = double.NaN;
        for (int k = 0; k < orders.Length; k++)
        {
            double alpha = orders[k];
            SubsampledGaussianRdp.CheckOrder(alpha);
            if (!(rdp[k] >= 0))
            {
                throw new ArgumentException(
                    $"RDP at order {alpha.ToString(CultureInfo.InvariantCulture)} is {rdp[k].ToString(CultureInfo.InvariantCulture)}; RDP values must be ≥ 0.",
                    nameof(rdp));
            }

            double epsilon = EpsilonAt(alpha, rdp[k], logDelta);
            if (epsilon < best)
            {
                best = epsilon;
                bestOrder = alpha;
            }
        }

        return new PrivacySpent(Math.Max(0.0, best), delta, bestOrder);
    }

    internal static double EpsilonAt(double alpha, double rdp, double logDelta)
    {
        if (double.IsPositiveInfinity(rdp))
        {
            return double.PositiveInfinity;
        }

        if (double.IsPositiveInfinity(alpha))
        {
            // The limit as α → ∞ of the two correction terms is 0 (both decay like log α/α).
            return rdp;
        }

        return rdp + Math.Log((alpha - 1) / alpha) - ((logDelta + Math.Log(alpha)) / (alpha - 1));
    }

    internal static void CheckDelta(double delta)
    {
        if (!(delta > 0 && delta < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "δ must be in (0, 1).");
        }
    }
}
