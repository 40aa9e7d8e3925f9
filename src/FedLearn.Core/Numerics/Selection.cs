namespace FedLearn.Numerics;

/// <summary>
/// Introselect on floats without NaN: expected linear time by Hoare partitioning around a median-of-three pivot,
/// falling back to sorting the remaining range once the recursion depth passes 2·log2(n), so adversarial inputs
/// cost O(n log n) rather than O(n²). Reorders the span in place. Stateless and thread-safe.
/// </summary>
public static class Selection
{
    /// <summary>
    /// Rearranges <paramref name="values"/> so that the element at <paramref name="rank"/> is the one a full ascending
    /// sort would put there, every element before it is not greater and every element after it is not smaller; returns it.
    /// Values must not be NaN. Used by top-k sparsification and by coordinate-wise median and trimmed mean.
    /// </summary>
    /// <param name="values">The values to select from; reordered in place.</param>
    /// <param name="rank">0-based rank in ascending order, in [0, values.Length).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> is outside the span.</exception>
    public static float Select(Span<float> values, int rank)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rank);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(rank, values.Length);
        int left = 0;
        int right = values.Length - 1;
        int depthBudget = 2 * (System.Numerics.BitOperations.Log2((uint)values.Length) + 1);
        while (right > left)
        {
            if (right - left < 16 || depthBudget-- == 0)
            {
                values[left..(right + 1)].Sort();
                break;
            }

            float pivot = MedianOfThree(values, left, left + ((right - left) >> 1), right);
            int i = left;
            int j = right;
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

            // Now [left, j] ≤ pivot ≤ [i, right] and anything strictly between j and i equals the pivot.
            if (rank <= j)
            {
                right = j;
            }
            else if (rank >= i)
            {
                left = i;
            }
            else
            {
                break;
            }
        }

        return values[rank];
    }

    private static float MedianOfThree(Span<float> values, int a, int b, int c)
    {
        float x = values[a], y = values[b], z = values[c];
        return x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
    }
}
