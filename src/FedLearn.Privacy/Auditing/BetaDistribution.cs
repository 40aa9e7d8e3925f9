using FedLearn.Privacy.Accounting;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// The Beta distribution's cumulative distribution function (the regularized incomplete beta function I_x(a, b))
/// and its quantile, in double precision. Pure functions, thread-safe.
/// </summary>
/// <remarks>
/// I_x(a, b) is evaluated by its continued fraction (the even and odd terms d_2m = m(b − m)x / ((a + 2m − 1)(a + 2m)),
/// d_2m+1 = −(a + m)(a + b + m)x / ((a + 2m)(a + 2m + 1))), summed with the modified Lentz method, on the side of
/// the symmetry I_x(a, b) = 1 − I_{1−x}(b, a) where it converges fast. The quantile inverts the monotone CDF by
/// bisection, so it is exact to the resolution of a double wherever the CDF is.
/// </remarks>
internal static class BetaDistribution
{
    private const int MaxFractionTerms = 10_000;
    private const double FractionTolerance = 1e-16;
    private const double Tiny = 1e-300;

    /// <summary>The natural logarithm of Γ(x) for x &gt; 0.</summary>
    public static double LogGamma(double x)
    {
        if (!(x > 0) || double.IsInfinity(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "LogGamma needs a positive finite argument.");
        }

        // Shift up to x ≥ 15 with Γ(x) = Γ(x + 1)/x, then Stirling's series, whose first omitted term is below 1e-16 there.
        double shift = 0;
        while (x < 15)
        {
            shift -= Math.Log(x);
            x += 1;
        }

        double inverse = 1 / x;
        double inverseSquared = inverse * inverse;
        double series = inverse * ((1.0 / 12) - (inverseSquared * ((1.0 / 360) - (inverseSquared * ((1.0 / 1260) - (inverseSquared * ((1.0 / 1680) - (inverseSquared / 1188))))))));
        return shift + ((x - 0.5) * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI)) + series;
    }

    /// <summary>ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).</summary>
    public static double LogBeta(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    /// <summary>P(X ≤ x) for X ~ Beta(a, b), a, b &gt; 0.</summary>
    public static double Cdf(double x, double a, double b)
    {
        CheckShape(a, b);
        if (double.IsNaN(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "The point is NaN.");
        }

        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        double logFront = (a * Math.Log(x)) + (b * LogMath.Log1P(-x)) - LogBeta(a, b);
        if (x < (a + 1) / (a + b + 2))
        {
            return Math.Exp(logFront) * ContinuedFraction(x, a, b) / a;
        }

        return 1 - (Math.Exp(logFront) * ContinuedFraction(1 - x, b, a) / b);
    }

    /// <summary>The x in [0, 1] with P(X ≤ x) = <paramref name="p"/> for X ~ Beta(a, b).</summary>
    public static double Quantile(double p, double a, double b)
    {
        CheckShape(a, b);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "The probability must be in [0, 1].");
        }

        if (p == 0)
        {
            return 0;
        }

        if (p == 1)
        {
            return 1;
        }

        // Bisection on the monotone CDF: halving from 1 while the lower end is 0 (the quantile may be as small as
        // 1e-300), geometric steps while the bracket spans more than a factor 4, arithmetic ones after.
        double lo = 0, hi = 1;
        for (int i = 0; i < 4000; i++)
        {
            double mid = lo == 0 ? 0.5 * hi : hi / lo > 4 ? Math.Sqrt(lo * hi) : lo + (0.5 * (hi - lo));
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            if (Cdf(mid, a, b) < p)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }

            if (lo > 0 && hi - lo <= 1e-15 * hi)
            {
                break;
            }
        }

        return 0.5 * (lo + hi);
    }

    private static double ContinuedFraction(double x, double a, double b)
    {
        double c = 1;
        double d = 1 - ((a + b) * x / (a + 1));
        d = Math.Abs(d) < Tiny ? Tiny : d;
        d = 1 / d;
        double result = d;
        for (int m = 1; m <= MaxFractionTerms; m++)
        {
            int twoM = 2 * m;
            double even = m * (b - m) * x / ((a + twoM - 1) * (a + twoM));
            d = 1 + (even * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (even / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            result *= d * c;

            double odd = -(a + m) * (a + b + m) * x / ((a + twoM) * (a + twoM + 1));
            d = 1 + (odd * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = 1 + (odd / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1 / d;
            double step = d * c;
            result *= step;
            if (Math.Abs(step - 1) < FractionTolerance)
            {
                return result;
            }
        }

        throw new InvalidOperationException($"The incomplete beta continued fraction did not converge for x = {x}, a = {a}, b = {b}.");
    }

    private static void CheckShape(double a, double b)
    {
        if (!(a > 0) || double.IsInfinity(a))
        {
            throw new ArgumentOutOfRangeException(nameof(a), a, "The Beta shape a must be positive and finite.");
        }

        if (!(b > 0) || double.IsInfinity(b))
        {
            throw new ArgumentOutOfRangeException(nameof(b), b, "The Beta shape b must be positive and finite.");
        }
    }
}
