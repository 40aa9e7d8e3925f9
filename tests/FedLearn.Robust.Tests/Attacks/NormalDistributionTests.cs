using FedLearn.Robust.Attacks;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Attacks;

public sealed class NormalDistributionTests
{
    // Reference quantiles of the standard normal distribution to 16 digits.
    [TestCase(0.5, 0.0)]
    [TestCase(0.6, 0.2533471031357997)]
    [TestCase(0.9, 1.2815515655446004)]
    [TestCase(0.975, 1.959963984540054)]
    [TestCase(0.001, -3.090232306167813)]
    [TestCase(0.02, -2.053748910631823)]
    [TestCase(0.99, 2.326347874040841)]
    [TestCase(1e-10, -6.361340902404056)]
    public void Inverse_cdf_matches_reference_quantiles(double p, double expected) =>
        Assert.That(NormalDistribution.InverseCdf(p), Is.EqualTo(expected).Within((2e-9 * Math.Abs(expected)) + 1e-12));

    [TestCase(0.0)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void Probabilities_outside_the_open_unit_interval_are_rejected(double p) =>
        Assert.That(() => NormalDistribution.InverseCdf(p), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("strictly between 0 and 1"));
}
