using FedLearn.Optimizers;
using Microsoft.Extensions.Options;
using NUnit.Framework;
using static FedLearn.Core.Tests.Optimizers.OptimizerTestData;

namespace FedLearn.Core.Tests.Optimizers;

public sealed class FedAvgMOptimizerTests
{
    [Test]
    public void Momentum_over_two_steps_by_hand()
    {
        // β = 0.9, η = 0.5. Step 1: v = Δ₁ = [0.5, 1]; x = [1, −2] + 0.5·v = [1.25, −1.5].
        // Step 2: v = 0.9·[0.5, 1] + [−1, 0.25] = [−0.55, 1.15]; x = [1.25, −1.5] + 0.5·v = [0.975, −0.925].
        var optimizer = new FedAvgMOptimizer(new FedAvgMOptions { ServerLearningRate = 0.5, Momentum = 0.9 });
        float[] weights = [1f, -2f];

        optimizer.Step(weights, [0.5f, 1f]);
        Assert.That(weights, Is.EqualTo(new[] { 1.25f, -1.5f }).AsCollection);
        optimizer.Step(weights, [-1f, 0.25f]);

        Assert.That(weights, Is.EqualTo(new[] { 0.975f, -0.925f }).AsCollection.Within(1e-6f));
        Assert.That(optimizer.ExportState()[FedAvgMOptimizer.MomentumStateName], Is.EqualTo(new[] { -0.55f, 1.15f }).AsCollection.Within(1e-6f));
    }

    [Test]
    public void Zero_momentum_is_fedavg_with_the_same_rate()
    {
        float[] a = Vector(1, 50, 1.0);
        float[] b = (float[])a.Clone();
        var momentumFree = new FedAvgMOptimizer(new FedAvgMOptions { ServerLearningRate = 0.7, Momentum = 0 });
        var plain = new FedAvgOptimizer(new FedAvgOptions { ServerLearningRate = 0.7 });
        for (ulong round = 0; round < 3; round++)
        {
            float[] delta = Vector(10 + round, 50, 0.3);
            momentumFree.Step(a, delta);
            plain.Step(b, delta);
        }

        Assert.That(Bits(a), Is.EqualTo(Bits(b)));
    }

    [Test]
    public void Export_then_import_into_a_fresh_optimizer_continues_bit_identically()
    {
        var original = new FedAvgMOptimizer();
        float[] weights = Vector(2, 40, 1.0);
        original.Step(weights, Vector(3, 40, 0.2));
        original.Step(weights, Vector(4, 40, 0.2));
        var restored = new FedAvgMOptimizer();
        restored.ImportState(original.ExportState());
        float[] a = (float[])weights.Clone();
        float[] b = (float[])weights.Clone();
        float[] next = Vector(5, 40, 0.2);

        original.Step(a, next);
        restored.Step(b, next);

        Assert.That(Bits(b), Is.EqualTo(Bits(a)));
    }

    [Test]
    public void Import_names_the_buffer_it_expects()
    {
        var error = Assert.Throws<ArgumentException>(() => new FedAvgMOptimizer().ImportState(new Dictionary<string, float[]> { ["v"] = new float[2] }));
        Assert.That(error!.Message, Does.Contain("fedavgm: unknown state 'v'; this optimizer keeps 'momentum'"));
    }

    [Test]
    public void Invalid_options_list_every_error_at_once()
    {
        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedAvgMOptimizer(new FedAvgMOptions { ServerLearningRate = -1, Momentum = 1 }));

        Assert.That(error!.Failures, Is.EquivalentTo(new[]
        {
            "FedAvgMOptions.ServerLearningRate: must be positive and finite",
            "FedAvgMOptions.Momentum: must be in [0, 1)",
        }));
    }
}
