namespace FedLearn.Robust.Kernels;

/// <summary>
/// In-place selection of the k-th smallest value (quickselect with a median-of-three pivot and Hoare partitioning,
/// which stays linear when many values are equal). Deterministic: the same input order gives the same arrangement.
/// </summary>
internal static class Selection
{
    private const int InsertionThreshold = 16;

    /// <summary>
    /// Rearranges <paramref name="values"/> so that <c>values[k]</c> is the k-th smallest (0-based), every value before
    /// it is ≤ and every value after it is ≥; returns <c>values[k]</c>. Values must not be NaN.
    /// </summary>
    public static float Select(Span<float> values, int k)
    {
        int lo = 0;
        int hi = values.Length - 1;
        while (true)
        {
            if (hi - lo < InsertionThreshold)
            {
                InsertionSort(values.Slice(lo, hi - lo + 1));
                return values[k];
            }

            int mid = lo + ((hi - lo) / 2);
            if (values[mid] < values[lo])
            {
                (values[mid], values[lo]) = (values[lo], values[mid]);
            }

            if (values[hi] < values[lo])
            {
                (values[hi], values[lo]) = (values[lo], values[hi]);
            }

            if (values[hi] < values[mid])
            {
                (values[hi], values[mid]) = (values[mid], values[hi]);
            }

            float pivot = values[mid];
            int i = lo;
            int j = hi;
            while (i <= j)
            {
                while (values[i] < pivot)
                {
                    i++;
                }

                while (values[j] > pivot)
                {
                    j--;
                }

                if (i <= j)
                {
                    (values[i], values[j]) = (values[j], values[i]);
                    i++;
                    j--;
                }
            }

            // Now values[lo..j] ≤ pivot ≤ values[i..hi], and everything strictly between j and i equals the pivot.
            if (k <= j)
            {
                hi = j;
            }
            else if (k >= i)
            {
                lo = i;
            }
            else
            {
                return values[k];
            }
        }
    }

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

    private static void InsertionSort(Span<float> values)
    {
        for (int i = 1; i < values.Length; i++)
        {
            float value = values[i];
            int j = i - 1;
            while (j >= 0 && values[j] > value)
            {
                values[j + 1] = values[j];
                j--;
            }

            values[j + 1] = value;
        }
    }
}
