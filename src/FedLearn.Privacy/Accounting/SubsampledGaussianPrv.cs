namespace FedLearn.Privacy.Accounting;

/// <summary>
/// The privacy loss random variable Y = log(P(X)/Q(X)), X ~ P, of one step of the Poisson-subsampled Gaussian
/// mechanism, with P = (1 − q)·N(0, σ²) + q·N(1, σ²) and Q = N(0, σ²). Pure and thread-safe.
/// </summary>
/// <remarks>
/// Gopi, Lee and Wutschitz 2021, "Numerical Composition of Differential Privacy", Appendix B. The loss
/// L(x) = log(1 − q + q·e^((2x − 1)/(2σ²))) increases with x, so P(Y &gt; t) = P(X &gt; x(t)) with
/// x(t) = σ²·z + ½ and z = log((e^t − 1 + q)/q), which gives the survival function in closed form.
/// </remarks>
internal sealed class SubsampledGaussianPrv(double sigma, double q)
{
    private static readonly double Sqrt2 = Math.Sqrt(2.0);

    public double Sigma { get; } = sigma;

    public double SampleRate { get; } = q;

    /// <summary>The loss takes no value below log(1 − q).</summary>
    public double LowerSupport => LogMath.Log1P(-SampleRate);

    /// <summary>P(Y &gt; t).</summary>
    public double Survival(double t)
    {
        if (t <= LowerSupport)
        {
            return 1.0;
        }

        double x = ThresholdX(t);
        // P(X > x) = (1 − q)·½erfc(x/(σ√2)) + q·½erfc((x − 1)/(σ√2)).
        return ((1 - SampleRate) * 0.5 * Erfc(x / (Sigma * Sqrt2))) + (SampleRate * 0.5 * Erfc((x - 1) / (Sigma * Sqrt2)));
    }

    /// <summary>E[Y | a &lt; Y ≤ b], by Simpson's rule over x.</summary>
    public double TruncatedMean(double a, double b)
    {
        double low = a <= LowerSupport ? -(40 * Sigma) - 1 : Math.Max(ThresholdX(a), -(40 * Sigma) - 1);
        double high = Math.Min(ThresholdX(b), (40 * Sigma) + 2);
        const int Intervals = 200_000;
        double h = (high - low) / Intervals;
        double mass = 0;
        double moment = 0;
        for (int i = 0; i <= Intervals; i++)
        {
            double x = low + (i * h);
            double weight = i == 0 || i == Intervals ? 1 : (i % 2 == 1 ? 4 : 2);
            double density = Density(x);
            mass += weight * density;
            moment += weight * density * Loss(x);
        }

        return moment / mass;
    }

    // x(t) = σ²·log((e^t − 1 + q)/q) + ½, for t > log(1 − q).
    private double ThresholdX(double t) =>
        (Sigma * Sigma * (Math.Log(LogMath.ExpM1(t) + SampleRate) - Math.Log(SampleRate))) + 0.5;

    private double Loss(double x)
    {
        double a = LogMath.Log1P(-SampleRate);
        double b = Math.Log(SampleRate) + ((2 * x) - 1) / (2 * Sigma * Sigma);
        return LogMath.LogAdd(a, b);
    }

    private double Density(double x)
    {
        double norm = 1 / (Sigma * Math.Sqrt(2 * Math.PI));
        double u0 = x / Sigma;
        double u1 = (x - 1) / Sigma;
        return norm * (((1 - SampleRate) * Math.Exp(-0.5 * u0 * u0)) + (SampleRate * Math.Exp(-0.5 * u1 * u1)));
    }

    private static double Erfc(double x) => Math.Exp(LogMath.LogErfc(x));
}
