using FedLearn.Optimizers;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Optimizers;

public sealed class FedAdagradOptimizerTests : AdaptiveOptimizerContract
{
    [Test]
    public void Two_steps_by_hand()
    {
        // Defaults η = 0.1, β1 = 0, τ = 1e-9 (negligible here). Step 1: m = 3, v = 9, x = 0 + 0.1·3/3 = 0.1.
        // Step 2: m = −4, v = 9 + 16 = 25, x = 0.1 + 0.1·(−4)/5 = 0.02.
        var optimizer = new FedAdagradOptimizer();
        float[] weights = [0f];

        optimizer.Step(weights, [3f]);
        Assert.That(weights[0], Is.EqualTo(0.1f).Within(1e-7f));
        optimizer.Step(weights, [-4f]);

        Assert.That(weights[0], Is.EqualTo(0.02f).Within(1e-7f));
        Assert.That(optimizer.ExportState()["v"][0], Is.EqualTo(25f).Within(1e-5f));
    }

    [Test]
    public void Defaults_are_those_of_flower()
    {
        var options = new FedAdagradOptions();
        Assert.That((options.ServerLearningRate, options.Beta1, options.Tau), Is.EqualTo((0.1, 0.0, 1e-9)));
        Assert.That(new FedAdagradOptimizer().Name, Is.EqualTo("fedadagrad"));
    }

    [Test]
    public void Invalid_options_list_every_error_at_once()
    {
        var options = new FedAdagradOptions { ServerLearningRate = 0, Beta1 = 1 };

        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedAdagradOptimizer(options));

        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "FedAdagradOptions.ServerLearningRate: must be positive and finite",
            "FedAdagradOptions.Beta1: must be in [0, 1)",
        }));
    }

    private protected override IServerOptimizer CreateDefault() => new FedAdagradOptimizer();

    private protected override AdaptiveReference CreateDefaultReference() => new("adagrad", 0.1, 0.0, 0.0, 1e-9);

    private protected override (IServerOptimizer Optimizer, AdaptiveReference Reference) CreateCustom() =>
        (new FedAdagradOptimizer(new FedAdagradOptions { ServerLearningRate = 0.3, Beta1 = 0.9, Tau = 0.02 }),
         new AdaptiveReference("adagrad", 0.3, 0.9, 0.0, 0.02));
}
