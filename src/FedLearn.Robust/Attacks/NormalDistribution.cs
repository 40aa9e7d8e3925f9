namespace FedLearn.Robust.Attacks;

/// <summary>The standard normal distribution's quantile function, as ALIE needs it.</summary>
public static class NormalDistribution
{
    // Rational approximations of Acklam (2003): central region |p − 0.5| ≤ 0.47575, tails beyond; relative error
    // below 1.2e-9 over (0, 1).
    private const double LowTail = 0.02425;

    private static readonly double[] A = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
    private static readonly double[] B = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
    private static readonly double[] C = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
    private static readonly double[] D = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];

    /// <summary>Φ⁻¹(<paramref name="p"/>): the z with P(Z ≤ z) = p for a standard normal Z; relative error below 1.2e-9.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is not strictly between 0 and 1.</exception>
    public static double InverseCdf(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must lie strictly between 0 and 1.");
        }

        if (p < LowTail)
        {
            return Tail(Math.Sqrt(-2 * Math.Log(p)));
        }

        if (p > 1 - LowTail)
        {
            return -Tail(Math.Sqrt(-2 * Math.Log(1 - p)));
        }

        double q = p - 0.5;
        double r = q * q;
        double numerator = (((((((((A[0] * r) + A[1]) * r) + A[2]) * r) + A[3]) * r) + A[4]) * r) + A[5];
        double denominator = (((((((((B[0] * r) + B[1]) * r) + B[2]) * r) + B[3]) * r) + B[4]) * r) + 1;
        return numerator * q / denominator;
    }

    private static double Tail(double q)
    {
        double numerator = (((((((((C[0] * q) + C[1]) * q) + C[2]) * q) + C[3]) * q) + C[4]) * q) + C[5];
        double denominator = (((((((D[0] * q) + D[1]) * q) + D[2]) * q) + D[3]) * q) + 1;
        return numerator / denominator;
    }
}
