using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class SubsampledGaussianRdpTests
{
    // TensorFlow Privacy's rdp_accountant_test.py (test_compute_rdp_*), the tests Opacus's analysis module was ported
    // from together with its code: q = 0 → 0; q = 1, σ = 10, α = 20 → α/(2σ²) = 0.1; 10 steps of q = 0.1, σ = 2 at
    // α = 5 → 0.07737 (5 places); 50 steps of q = 0.01, σ = 2.5 at α = 1.5, 2.5, 5, 50, 100, ∞ → 0.00065, 0.001085,
    // 0.00218075, 0.023846, 167.416307, ∞ (5 places).
    [Test]
    public void Reproduces_the_published_special_cases()
    {
        Assert.That(SubsampledGaussianRdp.Compute(10, 0, 20), Is.EqualTo(0));
        Assert.That(SubsampledGaussianRdp.Compute(10, 1, 20), Is.EqualTo(0.1).Within(1e-15));
        Assert.That(SubsampledGaussianRdp.Compute(0, 0.1, 20), Is.EqualTo(double.PositiveInfinity));
        Assert.That(10 * SubsampledGaussianRdp.Compute(2, 0.1, 5), Is.EqualTo(0.07737).Within(5e-6));
    }

    [TestCase(1.5, 0.00065)]
    [TestCase(2.5, 0.001085)]
    [TestCase(5.0, 0.00218075)]
    [TestCase(50.0, 0.023846)]
    [TestCase(100.0, 167.416307)]
    public void Reproduces_the_published_sequence(double order, double expected)
    {
        double[] rdp = new double[1];
        SubsampledGaussianRdp.Compute(2.5, 0.01, 50, [order], rdp);

        Assert.That(rdp[0], Is.EqualTo(expected).Within(5e-6));
    }

    [Test]
    public void Infinite_order_gives_infinite_rdp()
    {
        Assert.That(SubsampledGaussianRdp.Compute(2.5, 0.01, double.PositiveInfinity), Is.EqualTo(double.PositiveInfinity));
    }

    // A_α = E_{z~N(0,σ²)}[((1 − q) + q·exp((2z − 1)/(2σ²)))^α] (Mironov, Talwar and Zhang 2019, Section 3.3), computed
    // by brute-force quadrature: an independent check of both the binomial sum and the two-series formula.
    [TestCase(1.0, 0.01, 1.5)]
    [TestCase(1.0, 0.01, 2.0)]
    [TestCase(1.5, 0.04, 3.7)]
    [TestCase(1.5, 0.04, 10.9)]
    [TestCase(0.8, 0.2, 4.0)]
    [TestCase(0.8, 0.2, 6.3)]
    [TestCase(4.0, 0.5, 20.5)]
    [TestCase(2.0, 1e-4, 33.0)]
    [TestCase(0.5, 1e-3, 1.1)]
    public void Agrees_with_numerical_integration_of_the_definition(double sigma, double q, double order)
    {
        double expected = LogAByQuadrature(sigma, q, order) / (order - 1);

        double actual = SubsampledGaussianRdp.Compute(sigma, q, order);

        // 1e−6 relative: the agreement asked of the accountant. The quadrature itself is good to about 1e−8 relative
        // here, limited by A_α being 1 + (α − 1)·RDP with RDP as small as 1e−8.
        Assert.That(actual, Is.EqualTo(expected).Within(1e-4).Percent);
    }

    [Test]
    public void Stays_finite_and_accurate_for_a_large_integer_order_and_a_tiny_sample_rate()
    {
        // At α = 1024, q = 1e−6 the binomial terms span ~10⁴ orders of magnitude: a plain sum would overflow.
        double rdp = SubsampledGaussianRdp.Compute(5.0, 1e-6, 1024);
        double expected = LogAByQuadrature(5.0, 1e-6, 1024) / 1023;

        Assert.That(double.IsFinite(rdp), Is.True);
        Assert.That(rdp, Is.EqualTo(expected).Within(1e-4).Percent);
    }

    [Test]
    public void Rejects_bad_parameters_naming_them()
    {
        Assert.That(() => SubsampledGaussianRdp.Compute(-1, 0.1, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("noiseMultiplier"));
        Assert.That(() => SubsampledGaussianRdp.Compute(1, 1.5, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
        Assert.That(() => SubsampledGaussianRdp.Compute(1, 0.1, 1.0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("greater than 1"));
        Assert.That(() => SubsampledGaussianRdp.Compute(1, double.NaN, 2), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    // log ∫ N(z; 0, σ²)·((1 − q) + q·e^((2z − 1)/(2σ²)))^α dz by composite Simpson's rule over ±(40σ + α) around the
    // bulk, in log space (terms scaled by their maximum).
    private static double LogAByQuadrature(double sigma, double q, double alpha)
    {
        const int Intervals = 400_000;
        double low = -40 * sigma;
        double high = (40 * sigma) + (alpha * 1.0) + 1;
        double h = (high - low) / Intervals;
        double LogIntegrand(double z)
        {
            double logDensity = (-(z * z) / (2 * sigma * sigma)) - Math.Log(sigma * Math.Sqrt(2 * Math.PI));
            double t = (2 * z - 1) / (2 * sigma * sigma);
            // log((1 − q) + q·e^t) computed stably.
            double a = Math.Log(1 - q);
            double b = Math.Log(q) + t;
            double m = Math.Max(a, b);
            double logRatio = m + Math.Log(Math.Exp(a - m) + Math.Exp(b - m));
            return logDensity + (alpha * logRatio);
        }

        double max = double.NegativeInfinity;
        for (int i = 0; i <= Intervals; i++)
        {
            max = Math.Max(max, LogIntegrand(low + (i * h)));
        }

        double sum = 0;
        for (int i = 0; i <= Intervals; i++)
        {
            double weight = i == 0 || i == Intervals ? 1 : (i % 2 == 1 ? 4 : 2);
            sum += weight * Math.Exp(LogIntegrand(low + (i * h)) - max);
        }

        return max + Math.Log(sum * h / 3);
    }
}
