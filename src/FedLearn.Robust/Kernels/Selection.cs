namespace FedLearn.Robust.Kernels;

/// <summary>
/// Selection kernels for the coordinate-wise rules: the k-th smallest value (Core's introselect) and the minimum.
/// Deterministic: the same input order gives the same arrangement.
/// </summary>
internal static class Selection
{
    /// <summary>
    /// Rearranges <paramref name="values"/> so that <c>values[k]</c> is the k-th smallest (0-based), every value before
    /// it is ≤ and every value after it is ≥; returns <c>values[k]</c>. Values must not be NaN.
    /// </summary>
    public static float Select(Span<float> values, int k) => FedLearn.Numerics.Selection.Select(values, k);

    /// <summary>The smallest value of a non-empty span.</summary>
    public static float Min(ReadOnlySpan<float> values)
    {
        float min = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            min = values[i] < min ? values[i] : min;
        }

        return min;
    }
}
