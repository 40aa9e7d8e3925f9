using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class ClopperPearsonTests
{
    // Exact 95% intervals, computed independently in 40-digit arithmetic (bisection on the binomial tail); the first
    // four are the textbook values (5/10: 0.1871–0.8129, 1/10: 0.0025–0.4450, 0/10: 0–0.3085, 10/10: 0.6915–1).
    // Agreement is within 3e-13 relative; asserted to 1e-11.
    [TestCase(5, 10, 0.18708602844739853, 0.81291397155260143)]
    [TestCase(1, 10, 0.0025285785444617846, 0.44501611702819536)]
    [TestCase(0, 10, 0.0, 0.30849710781876076)]
    [TestCase(10, 10, 0.69150289218123918, 1.0)]
    [TestCase(3, 1000, 0.00061909993164957128, 0.0087420232384783023)]
    [TestCase(490, 500, 0.96352759170779026, 0.99036857041356665)]
    public void Interval_matches_reference_values(int k, int n, double lower, double upper)
    {
        (double actualLower, double actualUpper) = ClopperPearson.Interval(k, n, 0.95);

        Assert.Multiple(() =>
        {
            Assert.That(actualLower, Is.EqualTo(lower).Within(1e-9).Percent.Or.EqualTo(lower).Within(1e-300));
            Assert.That(actualUpper, Is.EqualTo(upper).Within(1e-9).Percent);
        });
    }

    [Test]
    public void One_sided_bounds_match_reference_values_at_a_90_percent_level()
    {
        // 17 of 250 at α = 0.05 per side.
        Assert.Multiple(() =>
        {
            Assert.That(ClopperPearson.LowerBound(17, 250, 0.05), Is.EqualTo(0.043787978569439336).Within(1e-9).Percent);
            Assert.That(ClopperPearson.UpperBound(17, 250, 0.05), Is.EqualTo(0.10025509167683253).Within(1e-9).Percent);
        });
    }

    [Test]
    public void Bounds_have_exactly_the_stated_tail_probability()
    {
        // The defining property: at the lower bound, P(X ≥ k) = α; at the upper bound, P(X ≤ k) = α.
        const int n = 300;
        const double alpha = 0.01;
        foreach (int k in new[] { 1, 7, 150, 299 })
        {
            double lower = ClopperPearson.LowerBound(k, n, alpha);
            double upper = ClopperPearson.UpperBound(k, n, alpha);
            Assert.That(BetaDistributionTests.BinomialTail(n, k, lower), Is.EqualTo(alpha).Within(1e-9).Percent, $"k = {k}");
            Assert.That(1 - BetaDistributionTests.BinomialTail(n, k + 1, upper), Is.EqualTo(alpha).Within(1e-9).Percent, $"k = {k}");
        }
    }

    [Test]
    public void Rejects_counts_outside_the_trials()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => ClopperPearson.LowerBound(11, 10, 0.05), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("[0, 10]"));
            Assert.That(() => ClopperPearson.UpperBound(0, 0, 0.05), Throws.InstanceOf<ArgumentOutOfRangeException>());
            Assert.That(() => ClopperPearson.Interval(1, 10, 1.0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("confidence"));
        });
    }
}
