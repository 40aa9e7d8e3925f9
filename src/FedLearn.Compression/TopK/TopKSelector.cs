using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FedLearn.Compression.TopK;

/// <summary>
/// Finds the positions of the k values of largest magnitude, exactly k of them, in ascending position order. Ties at
/// the threshold magnitude are broken by lower position first. Linear expected time: an introselect over the
/// magnitudes, and for large vectors a sampled threshold that first filters a small candidate set (a sample of
/// magnitudes gives a threshold a few standard deviations below the k-th largest, one vectorized pass collects the
/// candidates above it, and the exact selection runs over those only). If the filter keeps fewer than k candidates
/// or more than its buffer, it falls back to the full selection, so the result is always exact.
/// Stateless and thread-safe; scratch comes from <see cref="ArrayPool{T}"/>.
/// </summary>
internal static class TopKSelector
{
    /// <summary>Vectors at least this long use the sampled candidate filter.</summary>
    public const int SamplingThreshold = 1 << 17;

    private const int SampleSize = 1 << 14;

    /// <summary>Writes the positions of the <paramref name="k"/> largest magnitudes of <paramref name="x"/> into <paramref name="indices"/> (length k), ascending.</summary>
    public static void Select(ReadOnlySpan<float> x, int k, Span<int> indices, ulong seed) =>
        Select(x, k, indices, seed, x.Length >= SamplingThreshold);

    /// <summary>As <see cref="Select(ReadOnlySpan{float}, int, Span{int}, ulong)"/>, choosing the strategy explicitly (for tests and benchmarks).</summary>
    public static void Select(ReadOnlySpan<float> x, int k, Span<int> indices, ulong seed, bool useSampling)
    {
        if ((uint)k > (uint)x.Length || indices.Length != k)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [0, {x.Length}] and indices must hold exactly k positions.");
        }

        if (k == 0)
        {
            return;
        }

        if (k == x.Length)
        {
            for (int i = 0; i < k; i++)
            {
                indices[i] = i;
            }

            return;
        }

        if (useSampling && TrySelectSampled(x, k, indices, seed))
        {
            return;
        }

        SelectExact(x, k, indices);
    }

    private static void SelectExact(ReadOnlySpan<float> x, int k, Span<int> indices)
    {
        float[] rented = ArrayPool<float>.Shared.Rent(x.Length);
        try
        {
            Span<float> magnitudes = rented.AsSpan(0, x.Length);
            TensorPrimitives.Abs(x, magnitudes);
            float threshold = FedLearn.Numerics.Selection.Select(magnitudes, x.Length - k);
            int greater = 0;
            foreach (float v in x)
            {
                greater += Math.Abs(v) > threshold ? 1 : 0;
            }

            int ties = k - greater;
            int written = 0;
            for (int i = 0; i < x.Length; i++)
            {
                float a = Math.Abs(x[i]);
                if (a > threshold || (a == threshold && ties-- > 0))
                {
                    indices[written++] = i;
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private static bool TrySelectSampled(ReadOnlySpan<float> x, int k, Span<int> indices, ulong seed)
    {
        int n = x.Length;
        double p = (double)k / n;
        double expected = SampleSize * p;
        // Rank (from the top) of the sample order statistic used as the filter: four standard deviations of the
        // binomial count above the expected rank, so the filter keeps at least k values except with tiny probability.
        int rankFromTop = (int)Math.Ceiling(expected + (4 * Math.Sqrt(expected * (1 - p))) + 2);
        if (rankFromTop >= SampleSize)
        {
            return false;
        }

        float lowThreshold;
        float[] sampleBuffer = ArrayPool<float>.Shared.Rent(SampleSize);
        try
        {
            var random = new DeterministicRandom(seed);
            Span<float> sample = sampleBuffer.AsSpan(0, SampleSize);
            for (int i = 0; i < sample.Length; i++)
            {
                sample[i] = Math.Abs(x[random.NextInt(n)]);
            }

            lowThreshold = FedLearn.Numerics.Selection.Select(sample, SampleSize - rankFromTop);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sampleBuffer);
        }

        long capacityLong = Math.Min(n, (2L * n * rankFromTop / SampleSize) + k + 1024);
        int capacity = (int)capacityLong;
        int[] candidateBuffer = ArrayPool<int>.Shared.Rent(capacity);
        float[] magnitudeBuffer = ArrayPool<float>.Shared.Rent(capacity);
        try
        {
            int count = GatherAtLeast(x, lowThreshold, candidateBuffer.AsSpan(0, capacity));
            if (count < k || count > capacity)
            {
                return false;
            }

            ReadOnlySpan<int> candidates = candidateBuffer.AsSpan(0, count);
            Span<float> magnitudes = magnitudeBuffer.AsSpan(0, count);
            for (int i = 0; i < count; i++)
            {
                magnitudes[i] = Math.Abs(x[candidates[i]]);
            }

            float threshold = FedLearn.Numerics.Selection.Select(magnitudes, count - k);
            int greater = 0;
            foreach (int index in candidates)
            {
                greater += Math.Abs(x[index]) > threshold ? 1 : 0;
            }

            int ties = k - greater;
            int written = 0;
            foreach (int index in candidates)
            {
                float a = Math.Abs(x[index]);
                if (a > threshold || (a == threshold && ties-- > 0))
                {
                    indices[written++] = index;
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(candidateBuffer);
            ArrayPool<float>.Shared.Return(magnitudeBuffer);
        }
    }

    /// <summary>
    /// Writes the positions with |x| ≥ <paramref name="threshold"/> into <paramref name="destination"/> and returns how
    /// many there are; a return value above the destination length means it overflowed (the rest were counted, not written).
    /// </summary>
    internal static int GatherAtLeast(ReadOnlySpan<float> x, float threshold, Span<int> destination)
    {
        int count = 0;
        int i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            // Most blocks hold no candidate when k is small, so the loop mostly costs one compare and one movemask.
            ref float start = ref MemoryMarshal.GetReference(x);
            var limit = Vector256.Create(threshold);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                Vector256<float> block = Vector256.Abs(Vector256.LoadUnsafe(ref Unsafe.Add(ref start, i)));
                uint mask = Vector256.GreaterThanOrEqual(block, limit).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    int lane = BitOperations.TrailingZeroCount(mask);
                    if (count < destination.Length)
                    {
                        destination[count] = i + lane;
                    }

                    count++;
                    mask &= mask - 1;
                }
            }
        }

        for (; i < x.Length; i++)
        {
            if (Math.Abs(x[i]) >= threshold)
            {
                if (count < destination.Length)
                {
                    destination[count] = i;
                }

                count++;
            }
        }

        return count;
    }
}
