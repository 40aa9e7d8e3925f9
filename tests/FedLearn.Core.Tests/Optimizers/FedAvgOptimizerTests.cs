using FedLearn.Optimizers;
using Microsoft.Extensions.Options;
using NUnit.Framework;
using static FedLearn.Core.Tests.Optimizers.OptimizerTestData;

namespace FedLearn.Core.Tests.Optimizers;

public sealed class FedAvgOptimizerTests
{
    [Test]
    public void With_the_default_rate_of_one_adds_the_delta_exactly()
    {
        float[] weights = Vector(1, 301, 1.0);
        float[] delta = Vector(2, 301, 0.1);
        float[] expected = weights.Zip(delta, (w, d) => w + d).ToArray();

        new FedAvgOptimizer().Step(weights, delta);

        Assert.That(Bits(weights), Is.EqualTo(Bits(expected)));
    }

    [Test]
    public void Scales_the_delta_by_the_server_learning_rate()
    {
        float[] weights = [1f, -2f, 0.5f];

        new FedAvgOptimizer(new FedAvgOptions { ServerLearningRate = 0.5 }).Step(weights, [2f, 1f, -3f]);

        Assert.That(weights, Is.EqualTo(new[] { 2f, -1.5f, -1f }).AsCollection);
    }

    [Test]
    public void Keeps_no_state()
    {
        var optimizer = new FedAvgOptimizer();
        optimizer.Step(new float[3], [1f, 2f, 3f]);

        Assert.That(optimizer.ExportState(), Is.Empty);
        Assert.DoesNotThrow(() => optimizer.ImportState(new Dictionary<string, float[]>()));
        var error = Assert.Throws<ArgumentException>(() => optimizer.ImportState(new Dictionary<string, float[]> { ["m"] = new float[3] }));
        Assert.That(error!.Message, Does.Contain("unknown state 'm'; this optimizer keeps none"));
    }

    [Test]
    public void Rejects_mismatched_and_overlapping_spans()
    {
        var optimizer = new FedAvgOptimizer();
        float[] buffer = new float[8];

        var length = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[3], new float[4]));
        var overlap = Assert.Throws<ArgumentException>(() => optimizer.Step(buffer.AsSpan(0, 4), buffer.AsSpan(2, 4)));

        Assert.That(length!.Message, Does.Contain("fedavg: the delta has 4 values but the weights have 3"));
        Assert.That(overlap!.Message, Does.Contain("must not share memory"));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Rejects_a_learning_rate_that_is_not_positive_and_finite(double eta)
    {
        var error = Assert.Throws<OptionsValidationException>(() => _ = new FedAvgOptimizer(new FedAvgOptions { ServerLearningRate = eta }));
        Assert.That(error!.Message, Is.EqualTo("FedAvgOptions.ServerLearningRate: must be positive and finite"));
    }
}
