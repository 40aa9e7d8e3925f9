using FedLearn.Aggregation;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Mechanisms;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.ClientLevel;

public sealed class AdaptiveClippingAggregatorTests
{
    [Test]
    public void The_geometric_update_follows_the_paper_without_noise()
    {
        var aggregator = new AdaptiveClippingAggregator(
            new FederatedAveraging(),
            new AdaptiveClippingOptions { NoiseMultiplier = 0, InitialClippingNorm = 1.0, TargetQuantile = 0.5, ClippingLearningRate = 0.2 });
        float[] destination = new float[1];

        // All four updates fit under C = 1: b̄ = 1, so C ← exp(−0.2·(1 − 0.5)).
        aggregator.Aggregate([.. Enumerable.Range(0, 4).Select(i => new WeightedUpdate($"c{i}", new float[] { 0.1f }, 1))], destination);
        Assert.That(aggregator.LastUnclippedFraction, Is.EqualTo(1.0));
        Assert.That(aggregator.ClippingNorm, Is.EqualTo(Math.Exp(-0.1)).Within(1e-15));

        // None fits: b̄ = 0, so C ← C·exp(+0.1).
        aggregator.Aggregate([.. Enumerable.Range(0, 4).Select(i => new WeightedUpdate($"c{i}", new float[] { 100f }, 1))], destination);
        Assert.That(aggregator.ClippingNorm, Is.EqualTo(1.0).Within(1e-15));
        Assert.That(destination[0], Is.EqualTo((float)Math.Exp(-0.1)).Within(1e-6f), "the round clips to the norm it started with");
    }

    [Test]
    public void The_clipping_norm_settles_at_the_target_quantile_of_the_update_norms()
    {
        var aggregator = new AdaptiveClippingAggregator(
            new FederatedAveraging(),
            new AdaptiveClippingOptions { NoiseMultiplier = 0.5, InitialClippingNorm = 0.1, TargetQuantile = 0.5, ClippedCountStddev = 1.0 },
            new SeededGaussianNoise(11));
        // Twenty clients with update norms 1, 2, …, 20: the median norm lies between 10 and 11.
        WeightedUpdate[] updates = [.. Enumerable.Range(1, 20).Select(n => new WeightedUpdate($"c{n}", new float[] { n, 0f }, 1))];
        float[] destination = new float[2];
        var late = new List<double>();

        for (int round = 0; round < 400; round++)
        {
            aggregator.Aggregate(updates, destination);
            if (round >= 200)
            {
                late.Add(aggregator.ClippingNorm);
            }
        }

        double mean = late.Average();
        TestContext.Out.WriteLine($"mean clipping norm over rounds 200–399: {mean:F3}");
        Assert.That(mean, Is.InRange(8.0, 13.0));
    }

    [Test]
    public void Splits_the_noise_budget_between_update_and_count_and_charges_z()
    {
        Assert.That(AdaptiveClippingAggregator.UpdateNoiseMultiplier(1.0, 1.0, 20), Is.EqualTo(1 / Math.Sqrt(0.75)).Within(1e-15));

        var aggregator = new AdaptiveClippingAggregator(
            new FederatedAveraging(), new AdaptiveClippingOptions { NoiseMultiplier = 1.0, SampleRate = 0.2 }, new SeededGaussianNoise(2));
        WeightedUpdate[] updates = [.. Enumerable.Range(0, 40).Select(i => new WeightedUpdate($"c{i}", new float[] { 1f }, 1))];
        for (int round = 0; round < 5; round++)
        {
            aggregator.Aggregate(updates, new float[1]);
        }

        var expected = new RdpAccountant();
        expected.AddSteps(1.0, 0.2, 5);
        Assert.That(aggregator.Spent(1e-5).Epsilon, Is.EqualTo(expected.GetEpsilon(1e-5)));
        Assert.That(aggregator.Name, Is.EqualTo("dp-adaptive(fedavg)"));
    }

    [Test]
    public void Too_few_clients_for_the_count_noise_is_a_clear_error()
    {
        // σ_b = m/20 = 0.5 with 10 clients, which cannot carry z = 1.
        var aggregator = new AdaptiveClippingAggregator(new FederatedAveraging(), new AdaptiveClippingOptions { NoiseMultiplier = 1.0 });

        Assert.That(
            () => aggregator.Aggregate([.. Enumerable.Range(0, 10).Select(i => new WeightedUpdate($"c{i}", new float[] { 1f }, 1))], new float[1]),
            Throws.InvalidOperationException.With.Message.Contains("σ_b above 0.5").And.Message.Contains("10 clients"));
    }

    [Test]
    public void Invalid_options_are_reported_together()
    {
        var options = new AdaptiveClippingOptions { TargetQuantile = 1.0, ClippingLearningRate = 0, NoiseMultiplier = 4, ClippedCountStddev = 1 };

        var error = Assert.Throws<OptionsValidationException>(() => _ = new AdaptiveClippingAggregator(new FederatedAveraging(), options));

        Assert.That(error!.Message, Does.Contain("AdaptiveClippingOptions.TargetQuantile: must be in (0, 1)"));
        Assert.That(error.Message, Does.Contain("AdaptiveClippingOptions.ClippingLearningRate: must be positive and finite"));
        Assert.That(error.Message, Does.Contain("AdaptiveClippingOptions.ClippedCountStddev: must exceed NoiseMultiplier/2 (2)"));
    }
}
