using TorchSharp;
using TorchSharp.Modules;
using FedLearn.Torch.Privacy;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Privacy;

public sealed class PerSampleGradientEngineTests
{
    private const int Batch = 6;

    [OneTimeSetUp]
    public void Load() => TorchRuntime.EnsureAvailable();

    public static IEnumerable<TestCaseData> Layers()
    {
        yield return Case("linear", () => TestModels.Linear(), () => Features(Batch, 12), 5, []);
        yield return Case("linear over a sequence", TestModels.SequenceLinear, () => Features(Batch, 20), 3, []);
        yield return Case("conv2d (stride, padding, dilation, groups)", TestModels.Conv, () => Features(Batch, 2, 9, 9), 3, []);
        yield return Case("groupnorm", TestModels.GroupNorm, () => Features(Batch, 2, 9, 9), 3, []);
        yield return Case("layernorm", TestModels.LayerNorm, () => Features(Batch, 12), 4, []);
        yield return Case("embedding", TestModels.Embedding, () => Indices(Batch, 5, 11), 3, []);
        yield return Case("fallback: a parameter of an unknown layer", TestModels.WithUnknownLayer, () => Features(Batch, 12), 4, ["scale"]);
        yield return Case("fallback: a Linear invoked with forward", TestModels.LinearCalledByForward, () => Features(Batch, 12), 4, ["_fc1.weight", "_fc1.bias"]);
    }

    [TestCaseSource(nameof(Layers))]
    public void Per_sample_gradients_equal_gradients_computed_one_sample_at_a_time(
        Func<nn.Module<Tensor, Tensor>> create, Func<Tensor> makeInput, int classes, string[] expectedFallback)
    {
        using DisposeScope scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = create();
        Tensor input = makeInput();
        Tensor labels = arange(Batch, ScalarType.Int64).remainder(classes);
        Tensor[] reference = OneAtATime(model, input, labels);

        using var engine = new PerSampleGradientEngine(model);
        PerSampleBatch batch = engine.Run(input, labels);
        Tensor[] perSample = batch.Materialize();

        Assert.That(engine.FallbackParameterNames, Is.EquivalentTo(expectedFallback));
        Assert.That(perSample, Has.Length.EqualTo(reference.Length));
        for (int k = 0; k < perSample.Length; k++)
        {
            Assert.That(perSample[k].shape, Is.EqualTo(reference[k].shape), engine.ParameterNames[k]);
            double error = perSample[k].sub(reference[k]).abs().max().item<float>();
            double size = reference[k].abs().max().item<float>();
            Assert.That(size, Is.GreaterThan(1e-4), $"{engine.ParameterNames[k]}: the reference gradient is not trivially zero");
            Assert.That(error, Is.LessThanOrEqualTo(1e-5 + (1e-4 * size)), engine.ParameterNames[k]);
        }

        // The shortcuts (norms and weighted sums without materialising) agree with the materialised gradients.
        Tensor expectedNorms = stack(perSample.Select(g => g.reshape(Batch, -1).square().sum(1)), 0).sum([0]);
        Assert.That(batch.SquaredNorms().sub(expectedNorms).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-4 * expectedNorms.max().item<float>()));
        Tensor weights = linspace(0.1, 1.0, Batch);
        Tensor[] sums = batch.WeightedSums(weights);
        for (int k = 0; k < sums.Length; k++)
        {
            Tensor expected = weights.matmul(perSample[k].reshape(Batch, -1)).reshape(sums[k].shape);
            Assert.That(sums[k].sub(expected).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-5 + (1e-4 * expected.abs().max().item<float>())), engine.ParameterNames[k]);
        }
    }

    [Test]
    public void The_ready_models_are_handled_without_the_per_sample_fallback()
    {
        using DisposeScope scope = NewDisposeScope();
        foreach (nn.Module<Tensor, Tensor> model in new nn.Module<Tensor, Tensor>[] { new MlpModel(1), new CnnModel(1), new DpCnnModel(1) })
        {
            using var engine = new PerSampleGradientEngine(model);
            engine.Run(Features(3, 1, 28, 28), zeros(3, ScalarType.Int64));
            Assert.That(engine.FallbackParameterNames, Is.Empty, model.GetName());
            model.Dispose();
        }
    }

    [Test]
    public void The_dp_cnn_per_sample_gradients_match_one_at_a_time()
    {
        using DisposeScope scope = NewDisposeScope();
        using var model = new DpCnnModel(3);
        Tensor input = Features(4, 1, 28, 28);
        Tensor labels = tensor(new long[] { 0, 3, 7, 9 });
        Tensor[] reference = OneAtATime(model, input, labels);
        using var engine = new PerSampleGradientEngine(model);
        Tensor[] perSample = engine.Run(input, labels).Materialize();
        for (int k = 0; k < perSample.Length; k++)
        {
            double size = reference[k].abs().max().item<float>();
            Assert.That(perSample[k].sub(reference[k]).abs().max().item<float>(), Is.LessThanOrEqualTo(1e-5 + (1e-4 * size)), engine.ParameterNames[k]);
        }
    }

    [Test]
    public void Batch_normalisation_is_rejected_with_what_to_use_instead()
    {
        using nn.Module<Tensor, Tensor> model = TestModels.WithBatchNorm();
        var exception = Assert.Throws<ArgumentException>(() => new PerSampleGradientEngine(model).Dispose());
        Assert.That(exception!.Message, Does.Contain("'bn' (BatchNorm2d)"));
        Assert.That(exception.Message, Does.Contain("Replace BatchNorm with GroupNorm (for convolutions) or LayerNorm"));
    }

    [Test]
    public void Hooks_are_removed_on_dispose_and_evaluation_is_unaffected()
    {
        using DisposeScope scope = NewDisposeScope();
        using nn.Module<Tensor, Tensor> model = TestModels.Linear();
        Tensor input = Features(Batch, 12);
        Tensor before = model.call(input).detach().clone();
        var engine = new PerSampleGradientEngine(model);
        Tensor during = model.call(input);
        engine.Dispose();
        Tensor after = model.call(input);
        Assert.That(during.allclose(before), Is.True);
        Assert.That(after.allclose(before), Is.True);
    }

    /// <summary>The gradient of each sample's own loss, by a backward pass per sample: [B, shape…] per parameter.</summary>
    internal static Tensor[] OneAtATime(nn.Module<Tensor, Tensor> model, Tensor input, Tensor labels)
    {
        Parameter[] parameters = [.. model.parameters().Where(p => p.requires_grad)];
        var perSample = parameters.Select(_ => new List<Tensor>()).ToArray();
        for (long n = 0; n < input.shape[0]; n++)
        {
            model.zero_grad();
            Tensor logits = model.forward(input[TensorIndex.Slice(n, n + 1)]);
            Tensor loss = nn.functional.cross_entropy(logits, labels[TensorIndex.Slice(n, n + 1)], reduction: nn.Reduction.Sum);
            loss.backward();
            for (int k = 0; k < parameters.Length; k++)
            {
                perSample[k].Add(parameters[k].grad is { } g ? g.clone() : zeros_like(parameters[k]));
            }
        }

        model.zero_grad();
        return [.. perSample.Select(list => stack(list, 0))];
    }

    internal static Tensor Features(params long[] shape)
    {
        using var generator = new Generator(11, CPU);
        return randn(shape, generator: generator);
    }

    private static Tensor Indices(int batch, int length, int vocabulary)
    {
        using var generator = new Generator(13, CPU);
        return randint(0, vocabulary, [batch, length], generator: generator);
    }

    private static TestCaseData Case(string name, Func<nn.Module<Tensor, Tensor>> create, Func<Tensor> input, int classes, string[] fallback) =>
        new TestCaseData(create, input, classes, fallback).SetName($"Per_sample_gradients_equal_one_at_a_time({name})");
}
