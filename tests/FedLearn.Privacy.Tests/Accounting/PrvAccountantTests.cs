using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class PrvAccountantTests
{
    // Opacus, opacus/tests/prv_accountant.py ("computed from https://github.com/microsoft/prv_accountant", the
    // implementation of Gopi et al. 2021): ε at δ = 1e−6 for one history entry (σ, q, steps), the upper bound at
    // ε_error = 0.01. 36 of its 40 cases; the other four, (0.8, 0.05, 20000), (0.8, 0.05, 50000), (1.5, 0.05, 50000) and
    // (2.0, 0.05, 50000), need more than the 2²³ grid points this accountant allows. Opacus checks its own port to
    // 5 decimal places; this independent implementation of the same method (same grid rule) agrees within 1e−5.
    [TestCase(0.8, 0.001, 100, 0.2704033640580187)]
    [TestCase(1.5, 0.001, 100, 0.03936941930952033)]
    [TestCase(2.0, 0.001, 100, 0.029104536948407488)]
    [TestCase(3.0, 0.001, 100, 0.021520093439088266)]
    [TestCase(0.8, 0.05, 100, 6.7410519394141)]
    [TestCase(1.5, 0.05, 100, 1.9538531356842002)]
    [TestCase(2.0, 0.05, 100, 1.2836373796240652)]
    [TestCase(3.0, 0.05, 100, 0.7679337896668256)]
    [TestCase(0.8, 0.2, 100, 24.333664177922564)]
    [TestCase(1.5, 0.2, 100, 8.49897785912163)]
    [TestCase(2.0, 0.2, 100, 5.6720556088237295)]
    [TestCase(3.0, 0.2, 100, 3.3812205102218442)]
    [TestCase(0.8, 0.001, 1000, 0.4777712661845226)]
    [TestCase(1.5, 0.001, 1000, 0.09982066023084749)]
    [TestCase(2.0, 0.001, 1000, 0.07121878253811523)]
    [TestCase(3.0, 0.001, 1000, 0.04761593087135893)]
    [TestCase(0.8, 0.05, 1000, 19.525842805383736)]
    [TestCase(1.5, 0.05, 1000, 6.209969246577267)]
    [TestCase(2.0, 0.05, 1000, 4.172799866689319)]
    [TestCase(3.0, 0.05, 1000, 2.5275743260597383)]
    [TestCase(0.8, 0.001, 20000, 1.2960092575701616)]
    [TestCase(1.5, 0.001, 20000, 0.4370051086548608)]
    [TestCase(2.0, 0.001, 20000, 0.30583793976245344)]
    [TestCase(3.0, 0.001, 20000, 0.1940310306860547)]
    [TestCase(1.5, 0.05, 20000, 38.306617914087234)]
    [TestCase(2.0, 0.05, 20000, 24.421718570322586)]
    [TestCase(3.0, 0.05, 20000, 13.961114699236706)]
    [TestCase(0.8, 0.001, 50000, 2.0345148077158663)]
    [TestCase(1.5, 0.001, 50000, 0.7042183845558101)]
    [TestCase(2.0, 0.001, 50000, 0.4913549102114013)]
    [TestCase(3.0, 0.001, 50000, 0.309694161156544)]
    [TestCase(3.0, 0.05, 50000, 24.942005643144476)]
    [TestCase(0.8, 0.001, 100000, 2.9246221193504103)]
    [TestCase(1.5, 0.001, 100000, 1.0152880750276079)]
    [TestCase(2.0, 0.001, 100000, 0.7067199010818516)]
    [TestCase(3.0, 0.001, 100000, 0.4436717208808755)]
    public void Agrees_with_the_published_prv_values(double sigma, double q, long steps, double expected)
    {
        var accountant = new PrvAccountant();
        accountant.AddSteps(sigma, q, steps);

        PrvEpsilon epsilon = accountant.GetEpsilon(1e-6);

        TestContext.Out.WriteLine($"lower {epsilon.Lower:F6} estimate {epsilon.Estimate:F6} upper {epsilon.Upper:F6} reference {expected:F6}");
        Assert.That(epsilon.Upper, Is.EqualTo(expected).Within(1e-5));
        Assert.That(epsilon.Estimate, Is.InRange(epsilon.Lower, epsilon.Upper));
    }

    [TestCase(1.1, 0.01, 1000)]
    [TestCase(0.8, 0.004, 5000)]
    [TestCase(2.0, 0.1, 200)]
    public void Is_tighter_than_rdp(double sigma, double q, long steps)
    {
        var prv = new PrvAccountant();
        prv.AddSteps(sigma, q, steps);
        var rdp = new RdpAccountant();
        rdp.AddSteps(sigma, q, steps);

        Assert.That(prv.GetEpsilon(1e-5).Upper, Is.LessThan(rdp.GetEpsilon(1e-5)));
    }

    [Test]
    public void Heterogeneous_composition_does_not_depend_on_the_order_of_the_history()
    {
        var forward = new PrvAccountant();
        forward.AddSteps(1.5, 0.01, 500);
        forward.AddSteps(1.0, 0.02, 300);
        var backward = new PrvAccountant();
        backward.AddSteps(1.0, 0.02, 300);
        backward.AddSteps(1.5, 0.01, 500);
        var first = new PrvAccountant();
        first.AddSteps(1.5, 0.01, 500);

        double both = forward.GetEpsilon(1e-5).Estimate;

        Assert.That(backward.GetEpsilon(1e-5).Estimate, Is.EqualTo(both).Within(1e-6));
        Assert.That(both, Is.GreaterThan(first.GetEpsilon(1e-5).Estimate));
        Assert.That(forward.History, Has.Count.EqualTo(2));
    }

    [Test]
    public void Says_when_the_grid_would_be_too_large_and_rejects_bad_arguments()
    {
        var accountant = new PrvAccountant();
        accountant.AddSteps(0.8, 0.05, 50_000);

        Assert.That(() => accountant.GetEpsilon(1e-6), Throws.InvalidOperationException.With.Message.Contains("use the RDP accountant"));
        Assert.That(() => accountant.AddSteps(0, 0.1, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("noiseMultiplier"));
        Assert.That(() => accountant.AddSteps(1, 1.0, 1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
        Assert.That(() => accountant.GetEpsilon(1e-5, epsilonError: 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("epsilonError"));
        Assert.That(new PrvAccountant().GetEpsilon(1e-5), Is.EqualTo(new PrvEpsilon(0, 0, 0, 1e-5)));
    }
}
