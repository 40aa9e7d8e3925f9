using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.Bulyan;

/// <summary>The mean of the <see cref="Keep"/> values of a column closest to its median.</summary>
internal readonly struct BulyanReducer(int keep) : IColumnReducer
{
    /// <summary>β, the number of values averaged.</summary>
    public int Keep { get; } = keep;

    /// <inheritdoc />
    public float Reduce(Span<float> column)
    {
        column.Sort();
        int n = column.Length;
        double median = n % 2 == 1 ? column[n / 2] : ((double)column[(n / 2) - 1] + column[n / 2]) / 2;

        // In sorted order the β values closest to the median form a contiguous window; grow it from the middle,
        // taking the closer neighbour each step (the lower one on a tie).
        int lo = (n - 1) / 2;
        int hi = lo;
        while (hi - lo + 1 < Keep)
        {
            if (lo == 0)
            {
                hi++;
            }
            else if (hi == n - 1 || median - column[lo - 1] <= column[hi + 1] - median)
            {
                lo--;
            }
            else
            {
                hi++;
            }
        }

        double sum = 0;
        for (int i = lo; i <= hi; i++)
        {
            sum += column[i];
        }

        return (float)(sum / Keep);
    }
}
