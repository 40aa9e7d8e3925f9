using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Compression;

public sealed class TensorTopKTests
{
    [TestCase(200_000, 2_000)]
    [TestCase(300_000, 30_000)]
    [TestCase(150_000, 1)]
    public void The_sampled_filter_returns_exactly_the_k_largest_magnitudes(int n, int k)
    {
        var random = new DeterministicRandom((ulong)n);
        float[] magnitudes = Enumerable.Range(0, n).Select(_ => (float)Math.Abs(random.NextGaussian())).ToArray();
        using Tensor input = tensor(magnitudes);
        using Tensor positions = TensorTopK.Select(input, k, 7);
        long[] kept = positions.data<long>().ToArray();
        int[] expected = Enumerable.Range(0, n).OrderByDescending(i => magnitudes[i]).Take(k).Order().ToArray();
        Assert.That(kept.Select(i => (int)i).Order(), Is.EqualTo(expected));
    }

    [Test]
    public void When_the_sample_cannot_separate_the_values_the_full_selection_still_keeps_the_largest()
    {
        // 200 non-zero values among 200,000 zeros: every sampled magnitude is zero, so the filter keeps everything,
        // far more than its budget, and the full topk runs. The 200 non-zero values must be among the kept 2,000.
        float[] magnitudes = new float[200_000];
        for (int i = 0; i < 200; i++)
        {
            magnitudes[i * 997] = i + 1;
        }

        using Tensor input = tensor(magnitudes);
        using Tensor positions = TensorTopK.Select(input, 2_000, 7);
        long[] kept = positions.data<long>().ToArray();
        Assert.That(kept, Has.Length.EqualTo(2_000).And.Unique);
        Assert.That(kept, Is.SupersetOf(Enumerable.Range(0, 200).Select(i => (long)i * 997)));
    }
}
