namespace FedLearn.Core.Tests.Partitioning;

/// <summary>Checks and statistics shared by the partitioner tests.</summary>
internal static class PartitionChecks
{
    /// <summary>True when every record in [0, recordCount) is on exactly one client and every array is strictly ascending.</summary>
    public static bool IsExactAndSorted(int[][] parts, int clientCount, int recordCount)
    {
        if (parts.Length != clientCount)
        {
            return false;
        }

        bool[] seen = new bool[recordCount];
        foreach (int[] part in parts)
        {
            for (int i = 0; i < part.Length; i++)
            {
                if ((uint)part[i] >= (uint)recordCount || seen[part[i]] || (i > 0 && part[i] <= part[i - 1]))
                {
                    return false;
                }

                seen[part[i]] = true;
            }
        }

        return seen.All(s => s);
    }

    /// <summary>Labels 0..classCount-1 repeated, perClass records each, in a shuffled order.</summary>
    public static int[] BalancedLabels(int classCount, int perClass, int seed)
    {
        int[] labels = Enumerable.Range(0, classCount * perClass).Select(i => i % classCount).ToArray();
        new Random(seed).Shuffle(labels);
        return labels;
    }

    /// <summary>
    /// The mean, over clients, of the total-variation distance between the client's label distribution and the
    /// global one: 0 when every client mirrors the whole, near 1 when each client holds one rare class.
    /// </summary>
    public static double MeanTotalVariation(int[][] parts, IReadOnlyList<int> labels, int classCount)
    {
        double[] global = new double[classCount];
        foreach (int label in labels)
        {
            global[label] += 1.0 / labels.Count;
        }

        double sum = 0;
        foreach (int[] part in parts)
        {
            double[] local = new double[classCount];
            foreach (int record in part)
            {
                local[labels[record]] += 1.0 / part.Length;
            }

            sum += 0.5 * local.Zip(global, (a, b) => Math.Abs(a - b)).Sum();
        }

        return sum / parts.Length;
    }

    public static bool SameParts(int[][] a, int[][] b) => a.Length == b.Length && a.Zip(b).All(p => p.First.SequenceEqual(p.Second));
}
