using FedLearn.Privacy.Auditing;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class EmpiricalEpsilonTests
{
    [Test]
    public void From_exact_rates_is_the_larger_of_the_two_hypothesis_test_bounds()
    {
        Assert.Multiple(() =>
        {
            // TPR 0.5, FPR 0.05: ln(0.5/0.05) = ln 10 beats ln(0.95/0.5).
            Assert.That(EmpiricalEpsilon.FromRates(0.5, 0.05, 0), Is.EqualTo(Math.Log(10)).Within(1e-15));
            // TPR 0.99, FPR 0.5: ln(0.5/0.01) = ln 50 beats ln(0.99/0.5).
            Assert.That(EmpiricalEpsilon.FromRates(0.99, 0.5, 0), Is.EqualTo(Math.Log(50)).Within(1e-13));
            // δ is subtracted: ln((0.5 − 0.1)/0.05) = ln 8.
            Assert.That(EmpiricalEpsilon.FromRates(0.5, 0.05, 0.1), Is.EqualTo(Math.Log(8)).Within(1e-14));
            Assert.That(EmpiricalEpsilon.FromRates(0.3, 0.3, 1e-5), Is.Zero);
            Assert.That(EmpiricalEpsilon.FromRates(0.2, 0.6, 1e-5), Is.Zero);
        });
    }

    [Test]
    public void Lower_bound_uses_the_pessimistic_end_of_both_rates()
    {
        // 200 of 250 members and 5 of 250 non-members, 95% jointly: each rate at its one-sided 97.5% bound.
        var point = new RocPoint(0, 200, 250, 5, 250);
        double tprLower = ClopperPearson.LowerBound(200, 250, 0.025);
        double fprUpper = ClopperPearson.UpperBound(5, 250, 0.025);

        double bound = EmpiricalEpsilon.LowerBound(point, 1e-5, 0.95);

        Assert.Multiple(() =>
        {
            Assert.That(bound, Is.EqualTo(Math.Log((tprLower - 1e-5) / fprUpper)).Within(1e-12));
            Assert.That(bound, Is.LessThan(EmpiricalEpsilon.FromRates(0.8, 0.02, 1e-5)));
        });
    }

    [Test]
    public void Perfect_separation_is_limited_by_the_sample_size()
    {
        // Every evaluation member above the threshold and no non-member: TPR_lo = α^(1/m), FPR_hi = 1 − α^(1/m).
        double[] members = [.. Enumerable.Range(0, 500).Select(i => 10.0 + i)];
        double[] nonMembers = [.. Enumerable.Range(0, 500).Select(i => -10.0 - i)];

        EmpiricalEpsilonEstimate estimate = EmpiricalEpsilon.Estimate(members, nonMembers, 1e-5, 0.95, seed: 3);

        double root = Math.Pow(0.025, 1.0 / 250);
        double expected = Math.Log((root - 1e-5) / (1 - root));
        Assert.Multiple(() =>
        {
            Assert.That(estimate.Evaluation.TruePositives, Is.EqualTo(250));
            Assert.That(estimate.Evaluation.FalsePositives, Is.Zero);
            Assert.That(estimate.Epsilon, Is.EqualTo(expected).Within(1e-9));
            Assert.That(estimate.Epsilon, Is.LessThan(4.6));
        });
    }

    [Test]
    public void Is_zero_when_every_score_is_equal()
    {
        double[] same = [.. Enumerable.Repeat(0.25, 400)];

        EmpiricalEpsilonEstimate estimate = EmpiricalEpsilon.Estimate(same, same, 1e-5, 0.95, seed: 1);

        Assert.That(estimate.Epsilon, Is.Zero);
    }

    [Test]
    public void A_random_attack_proves_nothing_at_the_stated_confidence()
    {
        // Members and non-members scored from one distribution: a bound above 0 is a false claim, which the 95%
        // confidence allows in at most 5% of runs. Over 60 independent runs at most 3 are expected; 10 or more has
        // probability below 0.001 for a correct procedure.
        int positive = 0;
        for (int run = 0; run < 60; run++)
        {
            var random = new DeterministicRandom((ulong)(1000 + run));
            double[] members = [.. Enumerable.Range(0, 300).Select(_ => random.NextGaussian())];
            double[] nonMembers = [.. Enumerable.Range(0, 300).Select(_ => random.NextGaussian())];
            positive += EmpiricalEpsilon.Estimate(members, nonMembers, 1e-5, 0.95, seed: (ulong)run).Epsilon > 0 ? 1 : 0;
        }

        Assert.That(positive, Is.LessThan(10));
    }

    [Test]
    public void Grows_with_the_separation_of_the_scores()
    {
        // Members ~ N(μ, 1), non-members ~ N(0, 1), 2,000 each: the bound rises with μ.
        double[] bounds = [.. new[] { 0.0, 1.0, 2.0, 4.0 }.Select(mu =>
        {
            var random = new DeterministicRandom(77);
            double[] members = [.. Enumerable.Range(0, 2000).Select(_ => mu + random.NextGaussian())];
            double[] nonMembers = [.. Enumerable.Range(0, 2000).Select(_ => random.NextGaussian())];
            return EmpiricalEpsilon.Estimate(members, nonMembers, 1e-5, 0.95, seed: 5).Epsilon;
        })];

        Assert.Multiple(() =>
        {
            Assert.That(bounds[0], Is.Zero);
            Assert.That(bounds[1], Is.GreaterThan(bounds[0]));
            Assert.That(bounds[2], Is.GreaterThan(bounds[1]));
            Assert.That(bounds[3], Is.GreaterThan(bounds[2]));
        });
    }

    [Test]
    public void Threshold_is_chosen_on_one_half_and_measured_on_the_other()
    {
        var random = new DeterministicRandom(8);
        double[] members = [.. Enumerable.Range(0, 1000).Select(_ => 1.5 + random.NextGaussian())];
        double[] nonMembers = [.. Enumerable.Range(0, 1000).Select(_ => random.NextGaussian())];

        EmpiricalEpsilonEstimate estimate = EmpiricalEpsilon.Estimate(members, nonMembers, 1e-5, 0.95, seed: 9);

        Assert.Multiple(() =>
        {
            Assert.That(estimate.Evaluation.Members, Is.EqualTo(500));
            Assert.That(estimate.Evaluation.NonMembers, Is.EqualTo(500));
            Assert.That(estimate.Epsilon, Is.EqualTo(EmpiricalEpsilon.LowerBound(estimate.Evaluation, 1e-5, 0.95)).Within(1e-12));
            Assert.That(estimate.Epsilon, Is.GreaterThan(0));
        });
    }

    [Test]
    public void Rejects_sets_too_small_to_halve()
    {
        Assert.That(() => EmpiricalEpsilon.Estimate([1.0], [0.0, 1.0], 1e-5, 0.95, 1), Throws.ArgumentException.With.Message.Contains("at least 2 members"));
    }
}
