namespace FedLearn.Privacy.Accounting;

/// <summary>
/// Log-space arithmetic and the special functions the RDP analysis needs, accurate to a few units in the last place
/// of a double where the analysis uses them. Pure and thread-safe.
/// </summary>
internal static class LogMath
{
    private static readonly double HalfLogPi = 0.5 * Math.Log(Math.PI);

    /// <summary>log(eˣ + eʸ) without overflow; −∞ stands for 0.</summary>
    public static double LogAdd(double x, double y)
    {
        double low = Math.Min(x, y);
        double high = Math.Max(x, y);
        if (double.IsNegativeInfinity(low))
        {
            return high;
        }

        return high + Log1P(Math.Exp(low - high));
    }

    /// <summary>log(eˣ − eʸ) for x ≥ y; −∞ stands for 0.</summary>
    /// <exception cref="ArgumentException">x &lt; y: the difference would be negative.</exception>
    public static double LogSub(double x, double y)
    {
        if (x < y)
        {
            throw new ArgumentException($"log-space subtraction needs x ≥ y but got x = {x}, y = {y}.");
        }

        if (double.IsNegativeInfinity(y))
        {
            return x;
        }

        if (x == y)
        {
            return double.NegativeInfinity;
        }

        double gap = x - y;
        // For a gap beyond ~709 e^gap overflows; e^x − e^y equals e^x to double precision long before that.
        return gap > 700 ? x : Math.Log(ExpM1(gap)) + y;
    }

    /// <summary>log(1 + x), accurate for small |x| (Goldberg's correction of log(u)·x/(u − 1)).</summary>
    public static double Log1P(double x)
    {
        double u = 1.0 + x;
        if (u == 1.0)
        {
            return x;
        }

        if (double.IsInfinity(u))
        {
            return u;
        }

        return Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>eˣ − 1, accurate for small |x| (Kahan's correction (u − 1)·x/log u).</summary>
    public static double ExpM1(double x)
    {
        double u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        double um1 = u - 1.0;
        if (um1 == -1.0)
        {
            return -1.0;
        }

        if (double.IsInfinity(u))
        {
            return u;
        }

        return um1 * x / Math.Log(u);
    }

    /// <summary>log(erfc(x)) for any finite x, without underflow for large positive x.</summary>
    /// <remarks>
    /// For |x| &lt; 2 erfc comes from erf's series with positive terms, erf(x) = (2/√π)e^(−x²) Σ 2ⁿx^(2n+1)/(2n+1)!!,
    /// which loses no digits to cancellation (erfc(2) ≈ 4.7e−3, so 1 − erf keeps about 14 digits). For x ≥ 2 it comes
    /// from Laplace's continued fraction erfc(x) = (e^(−x²)/√π)/(x + ½/(x + 1/(x + 3/2/(x + …)))) evaluated by the
    /// modified Lentz method, in log space so that erfc(40) ≈ 1e−697 is no problem. For x ≤ −2, erfc(x) = 2 − erfc(−x).
    /// </remarks>
    public static double LogErfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 2.0)
        {
            return -(x * x) - HalfLogPi - Math.Log(LaplaceContinuedFraction(x));
        }

        if (x <= -2.0)
        {
            return Math.Log(2.0 - Math.Exp(LogErfc(-x)));
        }

        double erf = ErfSeries(Math.Abs(x));
        return x >= 0 ? Log1P(-erf) : Log1P(erf);
    }

    // erf(x) for 0 ≤ x < 2 by the series with positive terms.
    private static double ErfSeries(double x)
    {
        double twoXSquared = 2.0 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 500; n++)
        {
            term *= twoXSquared / ((2 * n) + 1);
            sum += term;
            if (term < sum * 1e-17)
            {
                break;
            }
        }

        return 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-(x * x)) * sum;
    }

    // x + a₁/(x + a₂/(x + …)) with aₙ = n/2, for x ≥ 2 (modified Lentz; converges in well under 200 terms there).
    private static double LaplaceContinuedFraction(double x)
    {
        const double Tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0.0;
        for (int n = 1; n < 10_000; n++)
        {
            double a = 0.5 * n;
            d = x + (a * d);
            d = Math.Abs(d) < Tiny ? Tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < Tiny ? Tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1.0) < 1e-16)
            {
                break;
            }
        }

        return f;
    }
}
