using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.TrimmedMean;

/// <summary>The mean of a column without its <see cref="Trim"/> smallest and <see cref="Trim"/> largest values, by two selections.</summary>
internal readonly struct TrimmedMeanReducer(int trim) : IColumnReducer
{
    /// <summary>Values dropped at each end.</summary>
    public int Trim { get; } = trim;

    /// <inheritdoc />
    public float Reduce(Span<float> column)
    {
        int n = column.Length;
        Span<float> kept = column;
        if (Trim > 0)
        {
            // After the first selection the Trim smallest sit in front; the second puts the n − 2·Trim smallest of the
            // rest in front of the Trim largest.
            Selection.Select(column, Trim);
            kept = column[Trim..];
            Selection.Select(kept, n - (2 * Trim) - 1);
            kept = kept[..(n - (2 * Trim))];
        }

        double sum = 0;
        foreach (float value in kept)
        {
            sum += value;
        }

        return (float)(sum / kept.Length);
    }
}
