using FedLearn.Optimizers;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Optimizers;

public sealed class FedYogiOptimizerTests : AdaptiveOptimizerContract
{
    [Test]
    public void Second_moment_moves_towards_the_squared_delta_by_a_bounded_step()
    {
        var optimizer = new FedYogiOptimizer(new FedYogiOptions { Beta2 = 0.9, Tau = 1e-3 });
        float[] weights = new float[2];

        // v₀ = τ² = 1e-6. Coordinate 0: Δ² = 0.25 > v, so v grows by 0.1·0.25. Coordinate 1: Δ = 0, v > Δ², so v
        // shrinks by 0.1·0 — it stays τ², where Adam would have decayed it to 0.9·τ².
        optimizer.Step(weights, [0.5f, 0f]);

        float[] v = optimizer.ExportState()["v"];
        Assert.That(v[0], Is.EqualTo(1e-6f + 0.025f).Within(1e-8f));
        Assert.That(v[1], Is.EqualTo(1e-6f).Within(1e-12f));
    }

    [Test]
    public void Defaults_are_those_of_flower()
    {
        var options = new FedYogiOptions();
        Assert.That((options.ServerLearningRate, options.Beta1, options.Beta2, options.Tau), Is.EqualTo((0.01, 0.9, 0.99, 1e-3)));
        Assert.That(new FedYogiOptimizer().Name, Is.EqualTo("fedyogi"));
    }

    [Test]
    public void Invalid_options_list_every_error_at_once()
    {
        var options = new FedYogiOptions { ServerLearningRate = -1, Beta2 = 1.5, Tau = 0 };

        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedYogiOptimizer(options));

        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "FedYogiOptions.ServerLearningRate: must be positive and finite",
            "FedYogiOptions.Beta2: must be in [0, 1)",
            "FedYogiOptions.Tau: must be positive and finite",
        }));
    }

    private protected override IServerOptimizer CreateDefault() => new FedYogiOptimizer();

    private protected override AdaptiveReference CreateDefaultReference() => new("yogi", 0.01, 0.9, 0.99, 1e-3);

    private protected override (IServerOptimizer Optimizer, AdaptiveReference Reference) CreateCustom() =>
        (new FedYogiOptimizer(new FedYogiOptions { ServerLearningRate = 0.2, Beta1 = 0.3, Beta2 = 0.5, Tau = 0.01 }),
         new AdaptiveReference("yogi", 0.2, 0.3, 0.5, 0.01));
}
