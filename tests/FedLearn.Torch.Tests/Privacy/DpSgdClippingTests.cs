using FedLearn.Data;
using FedLearn.Torch.Privacy;
using FedLearn.Torch.Tests.TestData;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Privacy;

public sealed class DpSgdClippingTests
{
    [OneTimeSetUp]
    public void Load() => TorchRuntime.EnsureAvailable();

    [TestCase("mlp", 0.01)]
    [TestCase("mlp", 1.0)]
    [TestCase("dpcnn", 0.1)]
    [TestCase("dpcnn", 10.0)]
    public void Clipping_bounds_every_per_sample_gradient_norm_and_leaves_small_ones_alone(string modelName, double maxNorm)
    {
        using DisposeScope scope = NewDisposeScope();
        LabeledDataset data = FashionMnistSamples.Train(64);
        Tensor features = tensor(data.Features, [64, 1, 28, 28]);
        Tensor labels = tensor(data.Labels.Select(l => (long)l).ToArray());
        using nn.Module<Tensor, Tensor> model = modelName == "mlp" ? new MlpModel(4) : new DpCnnModel(4);
        using var engine = new PerSampleGradientEngine(model);
        PerSampleBatch batch = engine.Run(features, labels);

        Tensor factors = DpSgdClipping.Factors(batch.SquaredNorms(), maxNorm);
        Tensor norms = stack(batch.Materialize().Select(g => g.reshape(64, -1).to(ScalarType.Float64).square().sum(1)), 0).sum([0]).sqrt();
        Tensor clippedNorms = norms.mul(factors.to(ScalarType.Float64));

        double[] clipped = clippedNorms.data<double>().ToArray();
        double[] raw = norms.data<double>().ToArray();
        Assert.That(clipped, Has.All.LessThanOrEqualTo(maxNorm * (1 + 1e-6)));
        for (int n = 0; n < raw.Length; n++)
        {
            if (raw[n] < maxNorm - 1e-5)
            {
                Assert.That(clipped[n], Is.EqualTo(raw[n]).Within(1e-5).Percent, $"sample {n} was under C and must not be scaled");
            }
            else
            {
                Assert.That(clipped[n], Is.EqualTo(maxNorm).Within(1e-3).Percent, $"sample {n} was over C and must be scaled to C");
            }
        }

        TestContext.Out.WriteLine($"{modelName}, C = {maxNorm}: {raw.Count(r => r >= maxNorm)} of 64 per-sample gradients clipped (norms {raw.Min():G3} … {raw.Max():G3})");
    }

    [Test]
    public void Noise_has_the_requested_standard_deviation()
    {
        using DisposeScope scope = NewDisposeScope();
        using var generator = new Generator(99, CPU);
        const int Count = 200_000;
        const double Std = 0.37;
        Tensor sum = full(Count, 5.0f);

        double[] noise = DpSgdClipping.AddNoise(sum, Std, generator).sub(5.0).to(ScalarType.Float64).data<double>().ToArray();

        // Sample std of n normal draws has relative standard error 1/sqrt(2n) = 0.16 %; the tolerance is 1 % (about 6 errors).
        double mean = noise.Average();
        double std = Math.Sqrt(noise.Sum(x => (x - mean) * (x - mean)) / (Count - 1));
        Assert.That(std, Is.EqualTo(Std).Within(1).Percent);
        Assert.That(Math.Abs(mean), Is.LessThan(5 * Std / Math.Sqrt(Count)));
    }

    [Test]
    public void Noise_is_the_draw_of_torch_normal_from_the_same_generator()
    {
        // The noise is drawn as TorchSharp's torch.normal(0, σ) draws it (randn · σ + 0), with owned scalars, so a
        // seeded run gives the noise it gave with torch.normal.
        using DisposeScope scope = NewDisposeScope();
        const double Std = 0.37;
        Tensor sum = arange(1_000, ScalarType.Float32).div_(7.0);
        using var first = new Generator(5, CPU);
        using var second = new Generator(5, CPU);

        float[] ours = DpSgdClipping.AddNoise(sum, Std, first).data<float>().ToArray();
        float[] reference = (sum + normal(0.0, Std, sum.shape, ScalarType.Float32, CPU, generator: second)).data<float>().ToArray();

        Assert.That(ours, Is.EqualTo(reference));
        Assert.That(ours, Is.Not.EqualTo(sum.data<float>().ToArray()));
    }
}
