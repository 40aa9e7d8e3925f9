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

    // Reference RDP values computed independently in 50-digit arithmetic: for integer α the binomial sum, and for every
    // α the definition A_α = E_{z~N(0,σ²)}[((1 − q) + q·e^((2z − 1)/(2σ²)))^α] (Mironov, Talwar and Zhang 2019,
    // Section 3.3) by adaptive quadrature, the two agreeing to all digits where both apply. The cases cover typical
    // DP-SGD parameters and the extremes of TF Privacy's test_compute_log_a_equals_mp (q from 1e−7 to 0.999, σ from
    // 0.1 to 100, α from 1.01 to 1024), where the terms of the sums span thousands of orders of magnitude.
    [TestCase(1.0, 0.01, 1.5, 0.00012725374332744983881)]
    [TestCase(1.0, 0.01, 2.0, 0.00017181342207454793814)]
    [TestCase(1.5, 0.04, 3.7, 0.001729812490005439391)]
    [TestCase(1.5, 0.04, 10.9, 0.0065916720680729084231)]
    [TestCase(0.8, 0.2, 4.0, 1.0479866182113484028)]
    [TestCase(0.8, 0.2, 6.3, 3.0099856132031204859)]
    [TestCase(4.0, 0.5, 20.5, 0.22846611066120305289)]
    [TestCase(2.0, 1e-4, 33.0, 4.6909419998070259694e-8)]
    [TestCase(0.5, 1e-3, 1.1, 0.000023858455984202793715)]
    [TestCase(2.5, 0.01, 1.5, 0.000013001417943760794735)]
    [TestCase(0.1, 1e-7, 1.01, 4.003412322526395029e-6)]
    [TestCase(0.1, 1e-6, 256.0, 12786.130310969257974)]
    [TestCase(0.1, 1e-5, 256.1, 12793.441943506158573)]
    [TestCase(1.0, 1e-6, 27.0, 3.3728889634032684155e-11)]
    [TestCase(100.0, 0.1, 20.5, 0.000010252214593881177508)]
    [TestCase(0.1, 0.99, 256.0, 12799.989910251063299)]
    [TestCase(100.0, 0.999, 256.1, 0.012779725746660573886)]
    [TestCase(5.0, 1e-6, 1024.0, 6.6509845441312971189)]
    public void Agrees_with_a_high_precision_evaluation_of_the_definition(double sigma, double q, double order, double expected)
    {
        double actual = SubsampledGaussianRdp.Compute(sigma, q, order);

        // 1e−6 relative, the agreement asked of the accountant. Observed: ≤ 3e−16 where RDP is of order 1 and above, ≤ 1e−9
        // down to RDP ≈ 1e−5, and up to 3e−7 for the two cases with RDP of 4e−6·(α − 1) ≈ 4e−8 and 3e−11, where log A_α
        // = log(1 + (α − 1)·RDP) is formed from terms of size 1 and double rounding (~1e−16 absolute) dominates.
        TestContext.Out.WriteLine($"relative error {Math.Abs(actual - expected) / expected:E2}");
        Assert.That(actual, Is.EqualTo(expected).Within(1e-4).Percent);
    }

    [Test]
    public void Rejects_bad_parameters_naming_them()
    {
        Assert.That(() => SubsampledGaussianRdp.Compute(-1, 0.1, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("noiseMultiplier"));
        Assert.That(() => SubsampledGaussianRdp.Compute(1, 1.5, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
        Assert.That(() => SubsampledGaussianRdp.Compute(1, 0.1, 1.0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("greater than 1"));
        Assert.That(() => SubsampledGaussianRdp.Compute(1, double.NaN, 2), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
