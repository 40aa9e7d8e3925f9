using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Weights;

public sealed class ModuleWeightsTests
{
    [Test]
    public void Mlp_weights_round_trip_bit_identical_through_another_model()
    {
        using var source = new MlpModel(seed: 1);
        using var target = new MlpModel(seed: 2);
        ModelWeights weights = source.GetWeights();
        Assert.That(Bits(target.GetWeights()), Is.Not.EqualTo(Bits(weights)), "different seeds must start apart");

        target.LoadWeights(weights);

        Assert.That(Bits(target.GetWeights()), Is.EqualTo(Bits(weights)));
        AssertSameOutputs(source, target, [4, 1, 28, 28]);
    }

    [Test]
    public void Cnn_weights_round_trip_bit_identical_through_another_model()
    {
        using var source = new CnnModel(seed: 3);
        using var target = new CnnModel(seed: 4);
        ModelWeights weights = source.GetWeights();

        target.LoadWeights(weights);

        Assert.That(Bits(target.GetWeights()), Is.EqualTo(Bits(weights)));
        AssertSameOutputs(source, target, [4, 1, 28, 28]);
    }

    [Test]
    public void Layout_is_state_dict_order_parameters_then_buffers()
    {
        using var mlp = new MlpModel(seed: 0);
        Assert.That(mlp.GetWeightLayout().Select(t => t.Name), Is.EqualTo(new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }));
        Assert.That(mlp.GetWeightLayout().Select(t => t.Shape), Is.EqualTo(new[] { new[] { 256, 784 }, new[] { 256 }, new[] { 10, 256 }, new[] { 10 } }));

        using var bn = BatchNormModel(seed: 0);
        Assert.That(
            bn.GetWeightLayout().Select(t => t.Name),
            Is.EqualTo(new[] { "conv.weight", "conv.bias", "bn.weight", "bn.bias", "fc.weight", "fc.bias", "bn.running_mean", "bn.running_var" }));
    }

    [Test]
    public void BatchNorm_running_statistics_round_trip_and_the_int64_counter_stays_local()
    {
        using var source = BatchNormModel(seed: 5);
        TrainBatchNormStatistics(source);
        using var target = BatchNormModel(seed: 6);
        ModelWeights weights = source.GetWeights();
        Assert.That(weights.Contains("bn.num_batches_tracked"), Is.False);
        Assert.That(weights.GetTensor("bn.running_mean").ToArray(), Has.Some.Not.EqualTo(0f), "the statistics must have moved away from their initial zeros");

        target.LoadWeights(weights);

        Assert.That(Bits(target.GetWeights()), Is.EqualTo(Bits(weights)));
        Assert.That(State(target, "bn.num_batches_tracked").item<long>(), Is.Zero, "loading leaves the local counter alone");
        source.eval();
        target.eval();
        AssertSameOutputs(source, target, [3, 1, 28, 28]);
    }

    [Test]
    public void CopyWeightsTo_matches_by_name_whatever_the_order()
    {
        using var model = new MlpModel(seed: 7);
        ModelWeights expected = model.GetWeights();
        var reversed = new ModelWeights(expected.Tensors.Reverse().Select(t => (t.Name, t.Shape.ToArray())));

        model.CopyWeightsTo(reversed);

        foreach (TensorInfo tensor in expected.Tensors)
        {
            Assert.That(reversed.GetTensor(tensor.Name).ToArray(), Is.EqualTo(expected.GetTensor(tensor.Name).ToArray()), tensor.Name);
        }
    }

    [Test]
    public void Float64_models_are_read_and_written_through_float32()
    {
        using var model = new MlpModel(seed: 8);
        ModelWeights expected = model.GetWeights();
        model.to(ScalarType.Float64);

        Assert.That(Bits(model.GetWeights()), Is.EqualTo(Bits(expected)));

        ModelWeights doubled = expected.Clone();
        foreach (ref float value in doubled.AsSpan())
        {
            value *= 2;
        }

        model.LoadWeights(doubled);
        Assert.That(State(model, "fc2.bias").dtype, Is.EqualTo(ScalarType.Float64));
        Assert.That(Bits(model.GetWeights()), Is.EqualTo(Bits(doubled)));
    }

    [Test]
    public void Loading_mismatched_weights_names_every_problem_and_changes_nothing()
    {
        using var model = new MlpModel(seed: 9);
        ModelWeights before = model.GetWeights();
        var wrong = new ModelWeights(
        [
            ("fc1.weight", [256, 783]),
            ("fc1.bias", [256]),
            ("fc2.weight", [10, 256]),
            ("fc3.weight", [10, 10]),
        ]);
        wrong.AsSpan().Fill(1f);

        var error = Assert.Throws<ArgumentException>(() => model.LoadWeights(wrong))!;

        Assert.That(error.Message, Does.Contain("missing tensor 'fc2.bias' [10]"));
        Assert.That(error.Message, Does.Contain("extra tensor 'fc3.weight' [10, 10]"));
        Assert.That(error.Message, Does.Contain("tensor 'fc1.weight' has shape [256, 783] in the weights but [256, 784] in the model"));
        Assert.That(error.ParamName, Is.EqualTo("weights"));
        Assert.That(Bits(model.GetWeights()), Is.EqualTo(Bits(before)));
    }

    [Test]
    public void Weights_that_carry_the_integer_counter_are_rejected_with_the_reason()
    {
        using var model = BatchNormModel(seed: 10);
        var layout = model.GetWeightLayout().Append(("bn.num_batches_tracked", Array.Empty<int>()));
        var weights = new ModelWeights(layout);

        var error = Assert.Throws<ArgumentException>(() => model.LoadWeights(weights))!;

        Assert.That(error.Message, Does.Contain("extra tensor 'bn.num_batches_tracked' []"));
        Assert.That(error.Message, Does.Contain("integer buffer"));
    }

    [Test]
    public void CopyWeightsTo_a_buffer_of_another_model_fails_naming_the_tensors()
    {
        using var mlp = new MlpModel(seed: 11);
        using var cnn = new CnnModel(seed: 11);
        ModelWeights cnnWeights = cnn.GetWeights();

        var error = Assert.Throws<ArgumentException>(() => mlp.CopyWeightsTo(cnnWeights))!;

        Assert.That(error.Message, Does.Contain("extra tensor 'conv1.weight' [32, 1, 5, 5]"));
        Assert.That(error.Message, Does.Contain("tensor 'fc1.weight' has shape [384, 1024] in the weights but [256, 784] in the model"));
        Assert.That(error.ParamName, Is.EqualTo("destination"));
    }

    internal static nn.Module<Tensor, Tensor> BatchNormModel(ulong seed)
    {
        var model = nn.Sequential(
            ("conv", nn.Conv2d(1, 4, 3)),
            ("bn", nn.BatchNorm2d(4)),
            ("relu", nn.ReLU()),
            ("pool", nn.AdaptiveAvgPool2d(1)),
            ("flatten", nn.Flatten()),
            ("fc", nn.Linear(4, 10)));
        TorchModels.InitializeParameters(model, seed);
        return model;
    }

    private static void TrainBatchNormStatistics(nn.Module<Tensor, Tensor> model)
    {
        model.train();
        using var generator = new Generator(42, CPU);
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        for (int i = 0; i < 3; i++)
        {
            model.forward(rand([8, 1, 28, 28], generator: generator));
        }
    }

    private static void AssertSameOutputs(nn.Module<Tensor, Tensor> first, nn.Module<Tensor, Tensor> second, long[] inputShape)
    {
        using DisposeScope scope = NewDisposeScope();
        using IDisposable noGrad = no_grad();
        using var generator = new Generator(123, CPU);
        Tensor input = rand(inputShape, generator: generator);
        float[] a = first.forward(input).data<float>().ToArray();
        float[] b = second.forward(input).data<float>().ToArray();
        Assert.That(b, Is.EqualTo(a));
    }

    private static Tensor State(nn.Module module, string name) => module.state_dict()[name];

    private static int[] Bits(ModelWeights weights) => MemoryMarshal.Cast<float, int>(weights.AsSpan()).ToArray();
}
