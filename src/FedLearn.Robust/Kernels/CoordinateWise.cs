using System.Buffers;

namespace FedLearn.Robust.Kernels;

/// <summary>
/// Drives a per-coordinate rule: copies a block of coordinates of every row into a transposed scratch block (one
/// contiguous column of n values per coordinate) and reduces each column. The block fits in the second-level cache,
/// so the rows are read once, sequentially, and the reducer works on contiguous memory.
/// </summary>
internal static class CoordinateWise
{
    /// <summary>Coordinates per transposed block: 50 rows × 256 floats is 50 KiB.</summary>
    internal const int BlockLength = 256;

    /// <summary>destination[j] ← reducer(column j of <paramref name="rows"/>), columns in row order.</summary>
    public static void Reduce<TReducer>(ReadOnlySpan<ReadOnlyMemory<float>> rows, Span<float> destination, TReducer reducer)
        where TReducer : IColumnReducer
    {
        int n = rows.Length;
        float[] rented = ArrayPool<float>.Shared.Rent(n * BlockLength);
        try
        {
            Span<float> block = rented.AsSpan(0, n * BlockLength);
            for (int start = 0; start < destination.Length; start += BlockLength)
            {
                int length = Math.Min(BlockLength, destination.Length - start);
                for (int i = 0; i < n; i++)
                {
                    ReadOnlySpan<float> source = rows[i].Span.Slice(start, length);
                    for (int j = 0; j < length; j++)
                    {
                        block[(j * n) + i] = source[j];
                    }
                }

                for (int j = 0; j < length; j++)
                {
                    destination[start + j] = reducer.Reduce(block.Slice(j * n, n));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }
}
