namespace FedLearn.Robust.Tests;

/// <summary>Straightforward per-coordinate references: gather the column, sort it, compute.</summary>
internal static class NaiveReference
{
    public static float[] PerCoordinate(IReadOnlyList<WeightedUpdate> updates, Func<double[], double> rule)
    {
        int length = updates[0].Values.Length;
        float[] result = new float[length];
        for (int j = 0; j < length; j++)
        {
            double[] column = updates.Select(u => (double)u.Values.Span[j]).Order().ToArray();
            result[j] = (float)rule(column);
        }

        return result;
    }

    public static double Median(double[] sorted) =>
        sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;

    public static double TrimmedMean(double[] sorted, int f) => sorted.Skip(f).Take(sorted.Length - (2 * f)).Average();
}
