using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class NoiseCalibrationTests
{
    // Opacus, opacus/tests/accountants_test.py, test_get_noise_multiplier_rdp_epochs: ε = 8, δ = 1e−5, q = 0.04,
    // 90 epochs → σ = 1.416 (checked there to 4 decimal places, i.e. within 5e−5).
    [Test]
    public void Matches_opacus_get_noise_multiplier_for_epochs()
    {
        NoiseCalibrationResult result = NoiseCalibration.ForEpochs(8, 1e-5, 0.04, 90);

        Assert.That(result.NoiseMultiplier, Is.EqualTo(1.416).Within(5e-5));
        Assert.That(result.Epsilon, Is.LessThanOrEqualTo(8).And.GreaterThanOrEqualTo(8 - NoiseCalibration.DefaultEpsilonTolerance));
    }

    // Same file, test_get_noise_multiplier_rdp_steps: ε = 8, δ = 1e−5, q = 0.04, 2000 steps → σ = 1.3562 (4 places).
    [Test]
    public void Matches_opacus_get_noise_multiplier_for_steps()
    {
        NoiseCalibrationResult result = NoiseCalibration.ForSteps(8, 1e-5, 0.04, 2000);

        Assert.That(result.NoiseMultiplier, Is.EqualTo(1.3562).Within(5e-5));
    }

    [TestCase(1.0, 1e-5, 0.01, 1000L)]
    [TestCase(3.0, 1e-6, 0.001, 50_000L)]
    [TestCase(10.0, 1e-4, 0.1, 100L)]
    public void The_result_meets_the_target_within_the_tolerance_and_less_noise_would_not(double target, double delta, double q, long steps)
    {
        NoiseCalibrationResult result = NoiseCalibration.ForSteps(target, delta, q, steps, epsilonTolerance: 1e-3);
        var accountant = new RdpAccountant();
        accountant.AddSteps(result.NoiseMultiplier, q, steps);
        double epsilon = accountant.GetEpsilon(delta);
        accountant.Reset();
        accountant.AddSteps(result.NoiseMultiplier * 0.99, q, steps);
        double epsilonWithLessNoise = accountant.GetEpsilon(delta);

        Assert.That(epsilon, Is.EqualTo(result.Epsilon));
        Assert.That(epsilon, Is.LessThanOrEqualTo(target).And.GreaterThanOrEqualTo(target - 1e-3));
        Assert.That(epsilonWithLessNoise, Is.GreaterThan(target));
    }

    [Test]
    public void A_budget_too_small_to_reach_says_so()
    {
        Assert.That(() => NoiseCalibration.ForSteps(1e-6, 1e-12, 1.0, 1_000_000), Throws.InvalidOperationException.With.Message.Contains("budget is too small"));
    }

    [Test]
    public void Rejects_bad_arguments_naming_them()
    {
        Assert.That(() => NoiseCalibration.ForSteps(0, 1e-5, 0.1, 10), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("targetEpsilon"));
        Assert.That(() => NoiseCalibration.ForSteps(1, 1e-5, 0, 10), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
        Assert.That(() => NoiseCalibration.ForSteps(1, 1e-5, 0.1, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("steps"));
        Assert.That(() => NoiseCalibration.ForEpochs(1, 1e-5, 0.1, -1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("epochs"));
    }
}
