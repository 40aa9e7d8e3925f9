using System.Buffers;
using System.Numerics.Tensors;

namespace FedLearn.Robust.Kernels;

/// <summary>Small span helpers shared by the robust rules.</summary>
internal static class VectorMath
{
    /// <summary>
    /// destination ← Σ coefficients[k]·rows[k], summed in double precision in the given order and rounded once.
    /// Rows with a zero coefficient are skipped.
    /// </summary>
    public static void Combine(ReadOnlySpan<ReadOnlyMemory<float>> rows, ReadOnlySpan<double> coefficients, Span<float> destination)
    {
        // Blocks keep the double accumulator in the first-level cache while every row streams through it once.
        const int Block = 2048;
        Span<double> sum = stackalloc double[Block];
        for (int start = 0; start < destination.Length; start += Block)
        {
            int length = Math.Min(Block, destination.Length - start);
            Span<double> acc = sum[..length];
            acc.Clear();
            for (int k = 0; k < rows.Length; k++)
            {
                double c = coefficients[k];
                if (c == 0)
                {
                    continue;
                }

                ReadOnlySpan<float> x = rows[k].Span.Slice(start, length);
                for (int j = 0; j < x.Length; j++)
                {
                    acc[j] += c * x[j];
                }
            }

            Span<float> target = destination.Slice(start, length);
            for (int j = 0; j < length; j++)
            {
                target[j] = (float)acc[j];
            }
        }
    }

    /// <summary>destination ← the unweighted mean of <paramref name="rows"/> (double accumulation, given order).</summary>
    public static void Mean(ReadOnlySpan<ReadOnlyMemory<float>> rows, Span<float> destination)
    {
        double[] rented = ArrayPool<double>.Shared.Rent(rows.Length);
        try
        {
            Span<double> coefficients = rented.AsSpan(0, rows.Length);
            coefficients.Fill(1.0 / rows.Length);
            Combine(rows, coefficients, destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    /// <summary>The Euclidean norm, 0 for an empty span.</summary>
    public static double Norm(ReadOnlySpan<float> x) => x.IsEmpty ? 0 : TensorPrimitives.Norm(x);

    /// <summary>The median of a scratch copy of <paramref name="values"/> (average of the two middle values when even).</summary>
    public static double Median(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        double[] copy = values.ToArray();
        Array.Sort(copy);
        int mid = copy.Length / 2;
        return copy.Length % 2 == 1 ? copy[mid] : (copy[mid - 1] + copy[mid]) / 2;
    }
}
