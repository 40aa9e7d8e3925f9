using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.Median;

/// <summary>The median of a column by selection; the mean of the two middle values when the count is even.</summary>
internal readonly struct MedianReducer : IColumnReducer
{
    /// <inheritdoc />
    public float Reduce(Span<float> column)
    {
        int n = column.Length;
        if (n % 2 == 1)
        {
            return Selection.Select(column, n / 2);
        }

        float lower = Selection.Select(column, (n / 2) - 1);
        float upper = Selection.Min(column[(n / 2)..]);
        return (float)(((double)lower + upper) / 2);
    }
}
