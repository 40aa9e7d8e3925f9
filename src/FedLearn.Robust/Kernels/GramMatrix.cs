using System.Buffers;
using System.Numerics.Tensors;

namespace FedLearn.Robust.Kernels;

/// <summary>
/// Pairwise inner products of centred update vectors, computed block by block so that every row's block stays in cache
/// while all pairs are formed: the n(n+1)/2 dot products then cost one pass over memory instead of n.
/// </summary>
/// <remarks>
/// The vectors are centred on their mean first. Distances do not change, but the entries become small when the
/// updates are close to each other, which keeps ‖a‖² + ‖b‖² − 2a·b accurate when a and b are nearly equal.
/// Entries accumulate one single-precision dot product per block into double precision. The result depends only on
/// the order of the rows, which callers fix canonically.
/// </remarks>
internal static class GramMatrix
{
    /// <summary>Coordinates per block: 50 rows × 1024 floats × 2 (source and centred copy) is 400 KiB, an L2-sized working set.</summary>
    internal const int BlockLength = 1024;

    /// <summary>The n×n Gram matrix (row-major) of the rows minus their mean.</summary>
    public static double[] ComputeCentered(ReadOnlySpan<ReadOnlyMemory<float>> rows, int length)
    {
        int n = rows.Length;
        double[] gram = new double[n * n];
        float[] rented = ArrayPool<float>.Shared.Rent((n + 1) * BlockLength);
        try
        {
            for (int start = 0; start < length; start += BlockLength)
            {
                int block = Math.Min(BlockLength, length - start);
                Span<float> mean = rented.AsSpan(n * BlockLength, block);
                mean.Clear();
                for (int i = 0; i < n; i++)
                {
                    TensorPrimitives.Add(mean, rows[i].Span.Slice(start, block), mean);
                }

                TensorPrimitives.Multiply(mean, 1f / n, mean);
                for (int i = 0; i < n; i++)
                {
                    TensorPrimitives.Subtract(rows[i].Span.Slice(start, block), mean, rented.AsSpan(i * BlockLength, block));
                }

                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<float> a = rented.AsSpan(i * BlockLength, block);
                    for (int j = 0; j <= i; j++)
                    {
                        gram[(i * n) + j] += TensorPrimitives.Dot(a, rented.AsSpan(j * BlockLength, block));
                    }
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                gram[(j * n) + i] = gram[(i * n) + j];
            }
        }

        return gram;
    }

    /// <summary>The n×n matrix (row-major) of inner products xᵢ·xⱼ of the rows as they are, blocked like <see cref="ComputeCentered"/>.</summary>
    public static double[] Compute(ReadOnlySpan<ReadOnlyMemory<float>> rows, int length)
    {
        int n = rows.Length;
        double[] gram = new double[n * n];
        for (int start = 0; start < length; start += BlockLength)
        {
            int block = Math.Min(BlockLength, length - start);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<float> a = rows[i].Span.Slice(start, block);
                for (int j = 0; j <= i; j++)
                {
                    gram[(i * n) + j] += TensorPrimitives.Dot(a, rows[j].Span.Slice(start, block));
                }
            }
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                gram[(j * n) + i] = gram[(i * n) + j];
            }
        }

        return gram;
    }

    /// <summary>Squared Euclidean distances ‖xᵢ − xⱼ‖² = Gᵢᵢ + Gⱼⱼ − 2Gᵢⱼ (clamped at zero), n×n row-major.</summary>
    public static double[] SquaredDistances(double[] gram, int n)
    {
        double[] distances = new double[n * n];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                double d = Math.Max(0, gram[(i * n) + i] + gram[(j * n) + j] - (2 * gram[(i * n) + j]));
                distances[(i * n) + j] = d;
                distances[(j * n) + i] = d;
            }
        }

        return distances;
    }

    /// <summary>Squared pairwise distances of the rows, through the centred Gram matrix.</summary>
    public static double[] PairwiseSquaredDistances(ReadOnlySpan<ReadOnlyMemory<float>> rows, int length) =>
        SquaredDistances(ComputeCentered(rows, length), rows.Length);
}
