namespace FedLearn.Robust.Krum;

/// <summary>Krum scores from a matrix of squared distances.</summary>
internal static class KrumScoring
{
    /// <summary>
    /// For every member i of <paramref name="members"/>: the sum of its squared distances to its
    /// <c>count − f − 2</c> nearest other members (at least 0, at most count − 1), summed in ascending order.
    /// </summary>
    public static double[] Scores(double[] distances, int n, ReadOnlySpan<int> members, int f)
    {
        int count = members.Length;
        int neighbours = Math.Clamp(count - f - 2, 0, count - 1);
        double[] scores = new double[count];
        double[] row = new double[Math.Max(count - 1, 0)];
        for (int a = 0; a < count; a++)
        {
            int k = 0;
            for (int b = 0; b < count; b++)
            {
                if (b != a)
                {
                    row[k++] = distances[(members[a] * n) + members[b]];
                }
            }

            Array.Sort(row);
            double sum = 0;
            for (int t = 0; t < neighbours; t++)
            {
                sum += row[t];
            }

            scores[a] = sum;
        }

        return scores;
    }

    /// <summary>Positions 0..count−1 ordered by (score, canonical index): lowest score first, ties to the smaller index.</summary>
    public static int[] Rank(double[] scores)
    {
        int[] order = new int[scores.Length];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => scores[a] != scores[b] ? scores[a].CompareTo(scores[b]) : a.CompareTo(b));
        return order;
    }
}
