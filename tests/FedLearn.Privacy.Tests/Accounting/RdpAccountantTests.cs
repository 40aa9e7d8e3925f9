using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class RdpAccountantTests
{
    // Opacus, opacus/tests/accountants_test.py, test_rdp_accountant: σ = 1.5, q = 0.04, int(90/0.04) steps taken one
    // at a time, δ = 1e−5 → ε = 7.32911117143 (default orders).
    [Test]
    public void Matches_the_opacus_accountant_test_case_to_one_part_in_a_million()
    {
        var accountant = new RdpAccountant();
        int steps = (int)(90 / 0.04);
        for (int i = 0; i < steps; i++)
        {
            accountant.Step(1.5, 0.04);
        }

        double epsilon = accountant.GetEpsilon(1e-5);

        Assert.That(epsilon, Is.EqualTo(7.32911117143).Within(1e-6).Percent);
        Assert.That(accountant.History, Is.EqualTo(new[] { new PrivacyStep(1.5, 0.04, 2250) }));
    }

    // Opacus, opacus/accountants/analysis/rdp.py module docstring: history [(q = 1e−5, σ = 1.0, 10 steps),
    // (q = 1e−4, σ = 3.0, 4 steps)], orders 2..32, δ = 1e−5 → (ε, α) = (0.336, 23) to three digits.
    [Test]
    public void Composes_heterogeneous_steps_as_in_the_opacus_analysis_example()
    {
        var accountant = new RdpAccountant(Enumerable.Range(2, 31).Select(a => (double)a));
        accountant.AddSteps(1.0, 1e-5, 10);
        accountant.AddSteps(3.0, 1e-4, 4);

        PrivacySpent spent = accountant.GetSpent(1e-5);

        Assert.That(spent.Epsilon, Is.EqualTo(0.336).Within(0.0005));
        Assert.That(spent.Order, Is.EqualTo(23));
        Assert.That(accountant.History, Has.Count.EqualTo(2));
    }

    [Test]
    public void Merges_consecutive_identical_steps_and_keeps_changes_apart()
    {
        var accountant = new RdpAccountant();
        accountant.Step(1.0, 0.01);
        accountant.Step(1.0, 0.01);
        accountant.Step(2.0, 0.01);
        accountant.AddSteps(1.0, 0.01, 3);
        accountant.AddSteps(1.0, 0.01, 0);

        Assert.That(accountant.History, Is.EqualTo(new[] { new PrivacyStep(1.0, 0.01, 2), new PrivacyStep(2.0, 0.01, 1), new PrivacyStep(1.0, 0.01, 3) }));
        Assert.That(accountant.StepCount, Is.EqualTo(6));

        // Composition is additive: the three entries give the RDP of 5 steps at σ = 1 plus 1 step at σ = 2.
        double[] expected = new double[accountant.Orders.Count];
        double[] part = new double[accountant.Orders.Count];
        SubsampledGaussianRdp.Compute(1.0, 0.01, 5, [.. accountant.Orders], expected);
        SubsampledGaussianRdp.Compute(2.0, 0.01, 1, [.. accountant.Orders], part);
        double[] actual = accountant.GetRdp();
        for (int k = 0; k < expected.Length; k++)
        {
            Assert.That(actual[k], Is.EqualTo(expected[k] + part[k]).Within(1e-12).Percent);
        }

        accountant.Reset();
        Assert.That(accountant.History, Is.Empty);
        Assert.That(accountant.GetSpent(1e-5), Is.EqualTo(new PrivacySpent(0, 1e-5, double.NaN)));
    }

    [Test]
    public void No_noise_means_no_guarantee()
    {
        var accountant = new RdpAccountant();
        accountant.Step(0.0, 0.5);

        Assert.That(accountant.GetEpsilon(1e-5), Is.EqualTo(double.PositiveInfinity));
    }

    [Test]
    public void Rejects_bad_orders_and_parameters()
    {
        Assert.That(() => new RdpAccountant([]), Throws.ArgumentException.With.Message.Contains("at least one order"));
        Assert.That(() => new RdpAccountant([2.0, 0.5]), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("greater than 1"));
        var accountant = new RdpAccountant();
        Assert.That(() => accountant.Step(1.0, -0.1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
        Assert.That(() => accountant.AddSteps(1.0, 0.1, -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("steps"));
        Assert.That(() => accountant.GetSpent(1.5), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("delta"));
    }
}
