using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Exact top-k positions of a 1-D tensor of magnitudes, on its device. <c>torch.topk</c> over the whole vector costs
/// about a second per 10M values on one CPU core, so long vectors first go through the filter the span encoder uses:
/// the order statistic of a random sample of 16,384 magnitudes, four standard deviations below the expected k-th
/// largest, keeps a candidate set a little larger than k, and <c>topk</c> runs over the candidates only. When the
/// filter keeps fewer than k candidates or more than its budget, the full <c>topk</c> runs instead, so the result is
/// always the exact top k (ties at the threshold broken by <c>topk</c>).
/// </summary>
internal static class TensorTopK
{
    /// <summary>Vectors at least this long use the sampled candidate filter (the span encoder's threshold).</summary>
    public const int SamplingThreshold = 1 << 17;

    private const int SampleSize = 1 << 14;

    /// <summary>The positions of the <paramref name="k"/> largest <paramref name="magnitudes"/>, unordered (int64).</summary>
    public static Tensor Select(Tensor magnitudes, int k, ulong seed)
    {
        long n = magnitudes.numel();
        if (n >= SamplingThreshold && k > 0 && k < n && TrySelectSampled(magnitudes, k, seed) is Tensor sampled)
        {
            return sampled;
        }

        return magnitudes.topk(k, dim: 0, largest: true, sorted: false).indexes;
    }

    private static Tensor? TrySelectSampled(Tensor magnitudes, int k, ulong seed)
    {
        long n = magnitudes.numel();
        double p = (double)k / n;
        double expected = SampleSize * p;
        int rankFromTop = (int)Math.Ceiling(expected + (4 * Math.Sqrt(expected * (1 - p))) + 2);
        if (rankFromTop >= SampleSize)
        {
            return null;
        }

        var random = new DeterministicRandom(seed);
        long[] positions = new long[SampleSize];
        for (int i = 0; i < positions.Length; i++)
        {
            positions[i] = random.NextInt((int)n);
        }

        Tensor sample = magnitudes.index_select(0, tensor(positions).to(magnitudes.device));
        float threshold = sample.kthvalue(SampleSize - rankFromTop + 1, 0, false).values.item<float>();
        using Scalar thresholdScalar = threshold.ToScalar();
        Tensor candidates = magnitudes.ge(thresholdScalar).nonzero().reshape(-1);
        long count = candidates.numel();
        long budget = Math.Min(n, (2L * n * rankFromTop / SampleSize) + k + 1024);
        if (count < k || count > budget)
        {
            return null;
        }

        Tensor best = magnitudes.index_select(0, candidates).topk(k, dim: 0, largest: true, sorted: false).indexes;
        return candidates.index_select(0, best);
    }
}
