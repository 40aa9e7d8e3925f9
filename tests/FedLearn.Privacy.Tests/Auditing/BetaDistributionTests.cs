using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class BetaDistributionTests
{
    [TestCase(1, 0.0)]
    [TestCase(2, 0.0)]
    [TestCase(5, 3.1780538303479458)] // ln 24
    [TestCase(21, 42.335616460753485)] // ln 20!
    [TestCase(0.5, 0.57236494292470008)] // ln √π
    [TestCase(1e-3, 6.9071788853838536)] // ln Γ(0.001)
    public void LogGamma_matches_known_values(double x, double expected)
    {
        Assert.That(BetaDistribution.LogGamma(x), Is.EqualTo(expected).Within(1e-13).Or.EqualTo(expected).Within(1e-13).Percent);
    }

    [TestCase(0.1)]
    [TestCase(0.35)]
    [TestCase(0.5)]
    [TestCase(0.9)]
    public void Cdf_matches_the_closed_forms_of_small_integer_shapes(double x)
    {
        Assert.Multiple(() =>
        {
            Assert.That(BetaDistribution.Cdf(x, 1, 1), Is.EqualTo(x).Within(1e-14));
            Assert.That(BetaDistribution.Cdf(x, 2, 2), Is.EqualTo((3 * x * x) - (2 * x * x * x)).Within(1e-14));
            Assert.That(BetaDistribution.Cdf(x, 7, 1), Is.EqualTo(Math.Pow(x, 7)).Within(1e-14));
            Assert.That(BetaDistribution.Cdf(x, 1, 4.5), Is.EqualTo(1 - Math.Pow(1 - x, 4.5)).Within(1e-14));
            // Arcsine distribution: I_x(1/2, 1/2) = (2/π)·asin(√x).
            Assert.That(BetaDistribution.Cdf(x, 0.5, 0.5), Is.EqualTo(2 / Math.PI * Math.Asin(Math.Sqrt(x))).Within(1e-14));
        });
    }

    // I_0.3(2.5, 7.25) by 30-digit numerical integration of the density: 0.66048227358190722.
    [Test]
    public void Cdf_matches_an_independent_quadrature_at_fractional_shapes()
    {
        Assert.That(BetaDistribution.Cdf(0.3, 2.5, 7.25), Is.EqualTo(0.66048227358190722).Within(1e-13));
    }

    // I_x(k, n − k + 1) = P(Binomial(n, x) ≥ k): the binomial sum is an independent way to the same number
    // (agreement is about 1e-13 relative; asserted to 1e-11).
    [TestCase(10, 3, 0.2)]
    [TestCase(50, 1, 0.01)]
    [TestCase(50, 49, 0.97)]
    [TestCase(200, 120, 0.55)]
    [TestCase(400, 2, 0.001)]
    public void Cdf_of_integer_shapes_equals_the_binomial_tail(int n, int k, double x)
    {
        Assert.That(BetaDistribution.Cdf(x, k, n - k + 1), Is.EqualTo(BinomialTail(n, k, x)).Within(1e-9).Percent);
    }

    [TestCase(0.025, 3, 998)]
    [TestCase(0.975, 491, 10)]
    [TestCase(1e-9, 1, 5000)]
    [TestCase(0.5, 0.5, 0.5)]
    [TestCase(0.999, 30, 2)]
    public void Quantile_inverts_the_cdf(double p, double a, double b)
    {
        double x = BetaDistribution.Quantile(p, a, b);

        Assert.That(BetaDistribution.Cdf(x, a, b), Is.EqualTo(p).Within(1e-9).Percent);
    }

    [Test]
    public void Quantile_of_a_power_law_is_the_root()
    {
        // Beta(a, 1) has CDF x^a, so its p-quantile is p^(1/a).
        Assert.That(BetaDistribution.Quantile(0.025, 250, 1), Is.EqualTo(Math.Pow(0.025, 1.0 / 250)).Within(1e-14));
    }

    [Test]
    public void Rejects_shapes_and_probabilities_outside_their_range()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => BetaDistribution.Cdf(0.5, 0, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("shape a"));
            Assert.That(() => BetaDistribution.Cdf(0.5, 1, double.NaN), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("shape b"));
            Assert.That(() => BetaDistribution.Quantile(1.5, 1, 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("probability"));
        });
    }

    internal static double BinomialTail(int n, int k, double x)
    {
        // Σ_{i ≥ k} C(n, i) xⁱ (1 − x)^(n − i), each term in log space.
        double sum = 0;
        for (int i = k; i <= n; i++)
        {
            double logTerm = BetaDistributionTestsLogChoose(n, i) + (i * Math.Log(x)) + ((n - i) * Math.Log(1 - x));
            sum += Math.Exp(logTerm);
        }

        return sum;
    }

    private static double BetaDistributionTestsLogChoose(int n, int k)
    {
        double value = 0;
        for (int i = 1; i <= k; i++)
        {
            value += Math.Log(n - k + i) - Math.Log(i);
        }

        return value;
    }
}
