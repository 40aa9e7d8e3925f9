using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Models;

public sealed class TorchModelsTests
{
    [Test]
    public void Parameter_counts_match_the_documented_figures()
    {
        using nn.Module<Tensor, Tensor> mlp = TorchModels.Create("mlp", seed: 0);
        using nn.Module<Tensor, Tensor> cnn = TorchModels.Create("cnn", seed: 0);

        Assert.That(mlp.GetWeights().Length, Is.EqualTo(MlpModel.ParameterCount).And.EqualTo(203_530));
        Assert.That(cnn.GetWeights().Length, Is.EqualTo(CnnModel.ParameterCount).And.EqualTo(449_546));
    }

    [TestCase("mlp")]
    [TestCase("cnn")]
    public void Models_map_a_batch_of_images_to_ten_logits(string name)
    {
        using nn.Module<Tensor, Tensor> model = TorchModels.Create(name, seed: 1);
        using DisposeScope scope = NewDisposeScope();
        Tensor logits = model.forward(zeros(5, 1, 28, 28));
        Assert.That(logits.shape, Is.EqualTo(new long[] { 5, 10 }));
    }

    [Test]
    public void Names_are_case_insensitive()
    {
        using nn.Module<Tensor, Tensor> model = TorchModels.Create(" CNN ", seed: 1);
        Assert.That(model, Is.InstanceOf<CnnModel>());
    }

    [Test]
    public void Unknown_name_lists_the_known_models()
    {
        var error = Assert.Throws<ArgumentException>(() => TorchModels.Create("resnet", seed: 1))!;
        Assert.That(error.Message, Does.Contain("Unknown model 'resnet'").And.Contain("mlp, cnn"));
        Assert.That(error.ParamName, Is.EqualTo("name"));
    }

    [TestCase("mlp")]
    [TestCase("cnn")]
    public void Same_seed_gives_bit_identical_weights_and_another_seed_does_not(string name)
    {
        using nn.Module<Tensor, Tensor> first = TorchModels.Create(name, seed: 42);
        using nn.Module<Tensor, Tensor> second = TorchModels.Create(name, seed: 42);
        using nn.Module<Tensor, Tensor> other = TorchModels.Create(name, seed: 43);

        Assert.That(Bits(second), Is.EqualTo(Bits(first)));
        Assert.That(Bits(other), Is.Not.EqualTo(Bits(first)));
    }

    [Test]
    public void Seeded_initialisation_ignores_the_global_generator()
    {
        random.manual_seed(1).Dispose();
        using var first = new MlpModel(seed: 5);
        random.manual_seed(2).Dispose();
        using var second = new MlpModel(seed: 5);

        Assert.That(Bits(second), Is.EqualTo(Bits(first)));
    }

    [Test]
    public void Weights_are_drawn_within_the_fan_in_bound()
    {
        using var model = new CnnModel(seed: 3);
        ModelWeights weights = model.GetWeights();
        float conv2Bound = 1f / MathF.Sqrt(32 * 5 * 5);
        float fc1Bound = 1f / MathF.Sqrt(1024);

        Assert.That(weights.GetTensor("conv2.weight").ToArray(), Has.All.InRange(-conv2Bound, conv2Bound));
        Assert.That(weights.GetTensor("conv2.bias").ToArray(), Has.All.InRange(-conv2Bound, conv2Bound));
        Assert.That(weights.GetTensor("fc1.weight").ToArray(), Has.All.InRange(-fc1Bound, fc1Bound));
        // A uniform draw over 393,216 values reaches close to both ends of its range.
        Assert.That(weights.GetTensor("fc1.weight").ToArray().Max(), Is.GreaterThan(0.99f * fc1Bound));
        Assert.That(weights.GetTensor("fc1.weight").ToArray().Min(), Is.LessThan(-0.99f * fc1Bound));
    }

    [Test]
    public void InitializeParameters_leaves_normalisation_scales_and_buffers_alone()
    {
        using nn.Module<Tensor, Tensor> model = Weights.ModuleWeightsTests.BatchNormModel(seed: 4);
        ModelWeights weights = model.GetWeights();

        Assert.That(weights.GetTensor("bn.weight").ToArray(), Has.All.EqualTo(1f));
        Assert.That(weights.GetTensor("bn.bias").ToArray(), Has.All.EqualTo(0f));
        Assert.That(weights.GetTensor("bn.running_var").ToArray(), Has.All.EqualTo(1f));
        Assert.That(weights.GetTensor("fc.bias").ToArray(), Has.Some.Not.EqualTo(0f));
    }

    private static int[] Bits(nn.Module model) => MemoryMarshal.Cast<float, int>(model.GetWeights().AsSpan()).ToArray();
}
