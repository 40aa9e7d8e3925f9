using FedLearn.Aggregation;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Mechanisms;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.ClientLevel;

public sealed class ServerSideFixedClippingAggregatorTests
{
    [Test]
    public void Without_noise_it_is_the_equally_weighted_mean_of_the_clipped_updates()
    {
        var aggregator = new ServerSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { ClippingNorm = 1.0, NoiseMultiplier = 0 }, new SeededGaussianNoise(1));
        float[] big = [3f, 4f];
        float[] small = [0.3f, 0.4f];
        float[] destination = new float[2];

        // The big update has 100 times the examples; with example weights it would dominate the mean.
        aggregator.Aggregate([new("big", big, 100), new("small", small, 1)], destination);

        Assert.That(destination[0], Is.EqualTo(0.45f).Within(1e-6f));
        Assert.That(destination[1], Is.EqualTo(0.6f).Within(1e-6f));
        Assert.That(big, Is.EqualTo(new[] { 3f, 4f }).AsCollection, "the caller's updates are not modified");
        Assert.That(aggregator.Name, Is.EqualTo("dp-server-fixed(fedavg)"));
    }

    [Test]
    public void Adds_noise_of_standard_deviation_sigma_C_over_m()
    {
        const int Dimension = 100_000;
        var aggregator = new ServerSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { ClippingNorm = 2.0, NoiseMultiplier = 1.5 }, new SeededGaussianNoise(3));
        WeightedUpdate[] updates = [.. Enumerable.Range(0, 4).Select(i => new WeightedUpdate($"c{i}", new float[Dimension], 1))];
        float[] destination = new float[Dimension];

        aggregator.Aggregate(updates, destination);

        Assert.That(NoiseStatistics.HasMeanAndStandardDeviation(destination, 0, 1.5 * 2.0 / 4), Is.True);
        Assert.That(NoiseStatistics.HasMeanAndStandardDeviation(destination, 0, 1.5 * 2.0 / 4 * 1.05), Is.False, "the check can tell a 5% error");
    }

    [Test]
    public void A_fixed_denominator_divides_the_sum_and_the_noise_by_the_expected_count()
    {
        const int Dimension = 100_000;
        var aggregator = new ServerSideFixedClippingAggregator(
            new FederatedAveraging(),
            new FixedClippingOptions { ClippingNorm = 1.0, NoiseMultiplier = 1.0, ExpectedClientsPerRound = 8 },
            new SeededGaussianNoise(4));
        float[] one = new float[Dimension];
        one[0] = 1f;
        WeightedUpdate[] updates = [.. Enumerable.Range(0, 4).Select(i => new WeightedUpdate($"c{i}", one, 1))];
        float[] destination = new float[Dimension];

        aggregator.Aggregate(updates, destination);

        // Σ clip(Δᵢ)/m̂ = 4·1/8 at coordinate 0, zero elsewhere; noise σC/m̂ = 1/8.
        Assert.That(NoiseStatistics.HasMeanAndStandardDeviation(destination.AsSpan(1), 0, 1.0 / 8), Is.True);
        Assert.That(destination[0], Is.EqualTo(0.5).Within(5.3 / 8));
    }

    [Test]
    public void Reports_the_accountant_epsilon_of_one_step_per_round()
    {
        var aggregator = new ServerSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { NoiseMultiplier = 1.1, SampleRate = 0.1 }, new SeededGaussianNoise(5));
        float[] destination = new float[3];
        Assert.That(aggregator.Spent(1e-5).Epsilon, Is.Zero);

        for (int round = 0; round < 20; round++)
        {
            aggregator.Aggregate([new("a", new float[] { 1, 2, 3 }, 5)], destination);
        }

        var expected = new RdpAccountant();
        expected.AddSteps(1.1, 0.1, 20);
        Assert.That(aggregator.Spent(1e-5), Is.EqualTo(new PrivacyBudget(expected.GetEpsilon(1e-5), 1e-5)));
        Assert.That(aggregator.History, Is.EqualTo(new[] { new PrivacyStep(1.1, 0.1, 20) }));
        Assert.That(((IPrivacyReporter)aggregator).Spent(1e-5).Epsilon, Is.GreaterThan(0));
    }

    [Test]
    public void Invalid_options_are_reported_together_and_bad_updates_named()
    {
        var options = new FixedClippingOptions { ClippingNorm = -1, NoiseMultiplier = double.NaN, SampleRate = 0, ExpectedClientsPerRound = 0 };

        var error = Assert.Throws<OptionsValidationException>(() => _ = new ServerSideFixedClippingAggregator(new FederatedAveraging(), options));
        Assert.That(error!.Message, Does.Contain("FixedClippingOptions.ClippingNorm: must be positive and finite"));
        Assert.That(error.Message, Does.Contain("FixedClippingOptions.NoiseMultiplier: must be finite and ≥ 0"));
        Assert.That(error.Message, Does.Contain("FixedClippingOptions.SampleRate: must be in (0, 1]"));
        Assert.That(error.Message, Does.Contain("FixedClippingOptions.ExpectedClientsPerRound: must be positive and finite"));

        var aggregator = new ServerSideFixedClippingAggregator(new FederatedAveraging(), new FixedClippingOptions());
        Assert.That(() => aggregator.Aggregate([new("short", new float[1], 1)], new float[2]), Throws.ArgumentException.With.Message.Contains("'short'"));
        Assert.That(() => aggregator.Aggregate([], new float[2]), Throws.ArgumentException.With.Message.Contains("at least one update"));
        Assert.That(() => aggregator.Aggregate([new("nan", new float[] { float.NaN, 0 }, 1)], new float[2]), Throws.ArgumentException.With.Message.Contains("index 0"));
    }
}
