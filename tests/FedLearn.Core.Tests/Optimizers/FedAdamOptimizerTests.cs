using FedLearn.Optimizers;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Optimizers;

public sealed class FedAdamOptimizerTests : AdaptiveOptimizerContract
{
    [Test]
    public void First_step_by_hand()
    {
        // m = 0.1·0.5 = 0.05; v = 0.99·τ² + 0.01·0.25 ≈ 0.0025, √v = 0.05; x = 1 + 0.1·0.05/0.05 = 1.1.
        float[] weights = [1f];

        new FedAdamOptimizer().Step(weights, [0.5f]);

        Assert.That(weights[0], Is.EqualTo(1.1f).Within(1e-6f));
    }

    [Test]
    public void Second_moment_starts_at_tau_squared()
    {
        var optimizer = new FedAdamOptimizer(new FedAdamOptions { Tau = 1e-2 });

        optimizer.Step(new float[2], new float[2]);

        // With Δ = 0: v₁ = β2·v₀, which is 0.99·τ² from τ², and would be 0 from a zero start.
        Assert.That(optimizer.ExportState()["v"], Is.EqualTo(new[] { 0.99e-4f, 0.99e-4f }).AsCollection.Within(1e-10f));
    }

    [Test]
    public void Defaults_are_those_of_flower()
    {
        var options = new FedAdamOptions();
        Assert.That((options.ServerLearningRate, options.Beta1, options.Beta2, options.Tau), Is.EqualTo((0.1, 0.9, 0.99, 1e-9)));
        Assert.That(new FedAdamOptimizer().Name, Is.EqualTo("fedadam"));
    }

    [Test]
    public void Invalid_options_list_every_error_at_once()
    {
        var options = new FedAdamOptions { ServerLearningRate = 0, Beta1 = 1.0, Beta2 = -0.1, Tau = double.NaN };

        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedAdamOptimizer(options));

        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "FedAdamOptions.ServerLearningRate: must be positive and finite",
            "FedAdamOptions.Beta1: must be in [0, 1)",
            "FedAdamOptions.Beta2: must be in [0, 1)",
            "FedAdamOptions.Tau: must be positive and finite",
        }));
        Assert.That(error.Message, Does.Contain("FedAdamOptions.Beta1: must be in [0, 1); FedAdamOptions.Beta2"));
    }

    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NaN)]
    [TestCase(-0.5)]
    public void Rejects_a_learning_rate_that_is_not_positive_and_finite(double eta)
    {
        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedAdamOptimizer(new FedAdamOptions { ServerLearningRate = eta }));
        Assert.That(error!.Failures, Is.EqualTo(new[] { "FedAdamOptions.ServerLearningRate: must be positive and finite" }));
    }

    [Test]
    public void Rejects_a_tau_that_vanishes_in_single_precision_alongside_attribute_errors()
    {
        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedAdamOptimizer(new FedAdamOptions { Tau = 1e-50, Beta1 = -1 }));

        Assert.That(error!.Failures.ToList(), Has.Count.EqualTo(2));
        Assert.That(error.Failures, Has.Some.StartsWith("FedAdamOptions.Beta1: must be in [0, 1)"));
        Assert.That(error.Failures, Has.Some.StartsWith("FedAdamOptions.Tau: 1E-50 rounds to 0 in single precision"));
    }

    private protected override IServerOptimizer CreateDefault() => new FedAdamOptimizer();

    private protected override AdaptiveReference CreateDefaultReference() => new("adam", 0.1, 0.9, 0.99, 1e-9);

    private protected override (IServerOptimizer Optimizer, AdaptiveReference Reference) CreateCustom() =>
        (new FedAdamOptimizer(new FedAdamOptions { ServerLearningRate = 0.5, Beta1 = 0.5, Beta2 = 0.9, Tau = 0.05 }),
         new AdaptiveReference("adam", 0.5, 0.5, 0.9, 0.05));
}
