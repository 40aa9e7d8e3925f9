using System.Buffers;
using System.Numerics.Tensors;

namespace FedLearn.Compression.TopK;

/// <summary>
/// Finds the positions of the k values of largest magnitude, exactly k of them, in ascending position order. Ties at
/// the threshold magnitude are broken by lower position first. The values may be a sum x + y (the update plus the
/// error-feedback residual), which is formed on the fly and never stored. Linear expected time: an introselect over
/// the magnitudes, and for large vectors a sampled threshold pair. A sample of magnitudes gives a low and a high
/// threshold a few standard deviations either side of the k-th largest; one vectorized pass over the vector collects
/// the candidates at or above the low one (and counts those at or above the high one), the exact selection then runs
/// over the band between the two only, and one pass over the candidates writes the result. If the filter keeps fewer
/// than k candidates, more than its buffer, or the band does not hold the k-th largest, it falls back to a full
/// selection, so the result is always exact. Stateless and thread-safe; scratch comes from <see cref="ArrayPool{T}"/>.
/// </summary>
internal static class TopKSelector
{
    /// <summary>Vectors at least this long use the sampled candidate filter.</summary>
    public const int SamplingThreshold = 1 << 17;

    private const int SampleSize = 1 << 14;

    private enum Outcome
    {
        Selected,
        NotFinite,
        FallBack,
    }

    /// <summary>Writes the positions of the <paramref name="k"/> largest magnitudes of <paramref name="x"/> into <paramref name="indices"/> (length k), ascending.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> holds a value that is not finite.</exception>
    public static void Select(ReadOnlySpan<float> x, int k, Span<int> indices, ulong seed) =>
        Select(x, k, indices, seed, x.Length >= SamplingThreshold);

    /// <summary>As <see cref="Select(ReadOnlySpan{float}, int, Span{int}, ulong)"/>, choosing the strategy explicitly (for tests and benchmarks).</summary>
    public static void Select(ReadOnlySpan<float> x, int k, Span<int> indices, ulong seed, bool useSampling)
    {
        CheckCounts(x.Length, k, indices.Length);
        float[] kept = ArrayPool<float>.Shared.Rent(k);
        try
        {
            if (!SelectSum(x, default, k, indices, kept.AsSpan(0, k), seed, useSampling))
            {
                throw new ArgumentException("Top-k selection needs finite values.", nameof(x));
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(kept);
        }
    }

    /// <summary>
    /// Selects the <paramref name="k"/> largest magnitudes of s = <paramref name="x"/> + <paramref name="y"/>
    /// (s = <paramref name="x"/> when <paramref name="y"/> is empty), writes their positions ascending into
    /// <paramref name="indices"/> and s at those positions into <paramref name="kept"/>. Returns false when some s is
    /// not finite (the outputs are then unspecified; the inputs are never written).
    /// </summary>
    /// <param name="x">The values (the update).</param>
    /// <param name="y">Empty, or as long as <paramref name="x"/> (the error-feedback residual).</param>
    /// <param name="k">How many to keep, at most the length.</param>
    /// <param name="indices">Exactly <paramref name="k"/> slots for the positions.</param>
    /// <param name="kept">Exactly <paramref name="k"/> slots for the kept sums.</param>
    /// <param name="seed">Seed of the sample's positions (the result does not depend on it).</param>
    /// <param name="useSampling">Whether to try the sampled filter before the full selection.</param>
    public static bool SelectSum(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int k, Span<int> indices, Span<float> kept, ulong seed, bool useSampling)
    {
        CheckCounts(x.Length, k, indices.Length);
        if (kept.Length != k || !(y.IsEmpty || y.Length == x.Length))
        {
            throw new ArgumentException($"kept must hold exactly k = {k} values and y must be empty or as long as x ({x.Length}).");
        }

        if (useSampling && k > 0 && k < x.Length)
        {
            Outcome outcome = TrySelectSampled(x, y, k, indices, kept, seed);
            if (outcome != Outcome.FallBack)
            {
                return outcome == Outcome.Selected;
            }
        }

        return SelectExact(x, y, k, indices, kept);
    }

    private static void CheckCounts(int length, int k, int indexCount)
    {
        if ((uint)k > (uint)length || indexCount != k)
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be in [0, {length}] and indices must hold exactly k positions.");
        }
    }

    private static bool SelectExact(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int k, Span<int> indices, Span<float> kept)
    {
        int n = x.Length;
        if (n == 0)
        {
            return true;
        }

        float[] sumRent = ArrayPool<float>.Shared.Rent(n);
        float[] magnitudeRent = ArrayPool<float>.Shared.Rent(n);
        try
        {
            Span<float> sums = sumRent.AsSpan(0, n);
            if (y.IsEmpty)
            {
                x.CopyTo(sums);
            }
            else
            {
                TensorPrimitives.Add(x, y, sums);
            }

            if (!TensorPrimitives.IsFiniteAll(sums))
            {
                return false;
            }

            if (k == n)
            {
                for (int i = 0; i < n; i++)
                {
                    indices[i] = i;
                }

                sums.CopyTo(kept);
                return true;
            }

            if (k == 0)
            {
                return true;
            }

            Span<float> magnitudes = magnitudeRent.AsSpan(0, n);
            TensorPrimitives.Abs(sums, magnitudes);
            float threshold = FedLearn.Numerics.Selection.Select(magnitudes, n - k);
            int greater = 0;
            foreach (float v in sums)
            {
                greater += Math.Abs(v) > threshold ? 1 : 0;
            }

            int ties = k - greater;
            int written = 0;
            for (int i = 0; i < n; i++)
            {
                float a = Math.Abs(sums[i]);
                if (a > threshold || (a == threshold && ties-- > 0))
                {
                    indices[written] = i;
                    kept[written++] = sums[i];
                }
            }

            return true;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sumRent);
            ArrayPool<float>.Shared.Return(magnitudeRent);
        }
    }

    private static Outcome TrySelectSampled(ReadOnlySpan<float> x, ReadOnlySpan<float> y, int k, Span<int> indices, Span<float> kept, ulong seed)
    {
        int n = x.Length;
        double p = (double)k / n;
        double expected = SampleSize * p;
        double spread = 4 * Math.Sqrt(expected * (1 - p));

        // Ranks (from the top) of the sample order statistics used as thresholds: four standard deviations of the
        // binomial count either side of the expected rank, so the k-th largest lies between them except with tiny
        // probability. Without a high rank the band starts at the top.
        int lowRank = (int)Math.Ceiling(expected + spread + 2);
        int highRank = (int)Math.Floor(expected - spread - 2);
        if (lowRank >= SampleSize)
        {
            return Outcome.FallBack;
        }

        float low, high;
        float[] sampleBuffer = ArrayPool<float>.Shared.Rent(SampleSize);
        try
        {
            var random = new DeterministicRandom(seed);
            Span<float> sample = sampleBuffer.AsSpan(0, SampleSize);
            for (int i = 0; i < sample.Length; i++)
            {
                int position = random.NextInt(n);
                float v = y.IsEmpty ? x[position] : x[position] + y[position];
                if (!float.IsFinite(v))
                {
                    return Outcome.NotFinite;
                }

                sample[i] = Math.Abs(v);
            }

            low = FedLearn.Numerics.Selection.Select(sample, SampleSize - lowRank);

            // The first selection left every sample above the low threshold after it, so the high one is among those.
            high = highRank >= 1
                ? FedLearn.Numerics.Selection.Select(sample[(SampleSize - lowRank)..], lowRank - highRank)
                : float.PositiveInfinity;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(sampleBuffer);
        }

        int capacity = (int)Math.Min(n, (2L * n * lowRank / SampleSize) + k + 1024);
        int[] positionBuffer = ArrayPool<int>.Shared.Rent(capacity + 8);
        float[] valueBuffer = ArrayPool<float>.Shared.Rent(capacity + 8);
        float[]? magnitudeBuffer = null;
        try
        {
            int count = CandidateFilter.Gather(x, y, low, high, positionBuffer, valueBuffer, capacity, out int above, out bool finite);
            if (count > capacity)
            {
                return Outcome.FallBack;
            }

            if (!finite)
            {
                return Outcome.NotFinite;
            }

            if (count < k)
            {
                return Outcome.FallBack;
            }

            ReadOnlySpan<float> values = valueBuffer.AsSpan(0, count);
            magnitudeBuffer = ArrayPool<float>.Shared.Rent(count);
            Span<float> magnitudes;
            int rank, greater;
            if (above < k)
            {
                // The k-th largest is below the high threshold: select among the band [low, high) only.
                int band = 0;
                foreach (float v in values)
                {
                    float a = Math.Abs(v);
                    magnitudeBuffer[band] = a;
                    band += a < high ? 1 : 0;
                }

                magnitudes = magnitudeBuffer.AsSpan(0, band);
                rank = band - (k - above);
                greater = above;
            }
            else
            {
                magnitudes = magnitudeBuffer.AsSpan(0, count);
                TensorPrimitives.Abs(values, magnitudes);
                rank = count - k;
                greater = 0;
            }

            float threshold = FedLearn.Numerics.Selection.Select(magnitudes, rank);
            int equal = 0;
            foreach (float a in magnitudes)
            {
                greater += a > threshold ? 1 : 0;
                equal += a == threshold ? 1 : 0;
            }

            // When every value at the threshold is kept, the output is "magnitude ≥ threshold", which vectorizes.
            int ties = k - greater;
            CandidateFilter.Emit(positionBuffer.AsSpan(0, count), values, threshold, ties == equal ? null : ties, indices, kept);
            return Outcome.Selected;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(positionBuffer);
            ArrayPool<float>.Shared.Return(valueBuffer);
            if (magnitudeBuffer is not null)
            {
                ArrayPool<float>.Shared.Return(magnitudeBuffer);
            }
        }
    }
}
