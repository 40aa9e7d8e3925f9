using System.Collections.Concurrent;

namespace FedLearn.Robust.Kernels;

/// <summary>
/// Comparator networks that place the values of chosen ranks on their wires: Batcher's odd–even merge sort for the
/// next power of two, restricted to n wires, and pruned to the comparators the wanted ranks depend on (a selection
/// network). Comparator (a, b) with a &lt; b leaves the minimum on a and the maximum on b.
/// </summary>
/// <remarks>
/// <para>Batcher 1968, "Sorting networks and their applications". Restricting to n wires is exact: the missing wires
/// can be thought of as +∞, and a comparator with a +∞ wire at the larger index never moves a value.</para>
/// <para>Networks are built once per (n, first rank, last rank) and cached; thread-safe.</para>
/// </remarks>
internal static class SortingNetwork
{
    private static readonly ConcurrentDictionary<(int N, int First, int Last), (int A, int B)[]> Cache = new();

    /// <summary>The comparators, in order, after which wires <paramref name="first"/>…<paramref name="last"/> hold the values of those ranks.</summary>
    public static (int A, int B)[] For(int n, int first, int last) =>
        Cache.GetOrAdd((n, first, last), static key => Build(key.N, key.First, key.Last));

    private static (int A, int B)[] Build(int n, int first, int last)
    {
        int size = 1;
        while (size < n)
        {
            size <<= 1;
        }

        var comparators = new List<(int A, int B)>();
        for (int p = 1; p < size; p <<= 1)
        {
            for (int k = p; k >= 1; k >>= 1)
            {
                for (int j = k % p; j + k < size; j += 2 * k)
                {
                    for (int i = 0; i < k; i++)
                    {
                        int a = i + j;
                        int b = i + j + k;
                        if (a / (2 * p) == b / (2 * p) && b < n)
                        {
                            comparators.Add((a, b));
                        }
                    }
                }
            }
        }

        // Walk backwards and keep a comparator only when a wire still needed downstream comes out of it.
        bool[] needed = new bool[n];
        for (int r = first; r <= last; r++)
        {
            needed[r] = true;
        }

        var kept = new List<(int A, int B)>(comparators.Count);
        for (int c = comparators.Count - 1; c >= 0; c--)
        {
            (int a, int b) = comparators[c];
            if (needed[a] || needed[b])
            {
                needed[a] = true;
                needed[b] = true;
                kept.Add((a, b));
            }
        }

        kept.Reverse();
        return kept.ToArray();
    }
}
