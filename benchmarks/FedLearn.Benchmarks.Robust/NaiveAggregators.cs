namespace FedLearn.Benchmarks.Robust;

/// <summary>
/// Straightforward implementations, the baselines of the benchmarks: a scalar loop per pair of clients for distances,
/// a full sort per coordinate for median and trimmed mean, and Weiszfeld with a pass over every update per iteration.
/// </summary>
internal static class NaiveAggregators
{
    public static void MultiKrum(float[][] rows, int f, int m, float[] destination)
    {
        int n = rows.Length;
        double[,] distances = new double[n, n];
        for (int a = 0; a < n; a++)
        {
            for (int b = a + 1; b < n; b++)
            {
                double sum = 0;
                float[] x = rows[a];
                float[] y = rows[b];
                for (int j = 0; j < x.Length; j++)
                {
                    double d = x[j] - y[j];
                    sum += d * d;
                }

                distances[a, b] = sum;
                distances[b, a] = sum;
            }
        }

        double[] scores = new double[n];
        for (int a = 0; a < n; a++)
        {
            scores[a] = Enumerable.Range(0, n).Where(b => b != a).Select(b => distances[a, b]).Order().Take(n - f - 2).Sum();
        }

        int[] best = Enumerable.Range(0, n).OrderBy(a => scores[a]).Take(m).ToArray();
        Array.Clear(destination);
        foreach (int a in best)
        {
            for (int j = 0; j < destination.Length; j++)
            {
                destination[j] += rows[a][j] / m;
            }
        }
    }

    public static void Median(float[][] rows, float[] destination)
    {
        int n = rows.Length;
        float[] column = new float[n];
        for (int j = 0; j < destination.Length; j++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = rows[i][j];
            }

            Array.Sort(column);
            destination[j] = n % 2 == 1 ? column[n / 2] : (column[(n / 2) - 1] + column[n / 2]) / 2;
        }
    }

    public static void TrimmedMean(float[][] rows, int f, float[] destination)
    {
        int n = rows.Length;
        float[] column = new float[n];
        for (int j = 0; j < destination.Length; j++)
        {
            for (int i = 0; i < n; i++)
            {
                column[i] = rows[i][j];
            }

            Array.Sort(column);
            double sum = 0;
            for (int i = f; i < n - f; i++)
            {
                sum += column[i];
            }

            destination[j] = (float)(sum / (n - (2 * f)));
        }
    }

    public static int GeometricMedian(float[][] rows, int maxIterations, double tolerance, double smoothing, float[] destination)
    {
        int n = rows.Length;
        int length = destination.Length;
        double[] z = new double[length];
        foreach (float[] row in rows)
        {
            for (int j = 0; j < length; j++)
            {
                z[j] += row[j] / (double)n;
            }
        }

        double[] weights = new double[n];
        double previous = Objective(rows, z, weights);
        int iterations = 0;
        while (iterations < maxIterations)
        {
            iterations++;
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                weights[i] = 1 / Math.Max(smoothing, weights[i]);
                total += weights[i];
            }

            Array.Clear(z);
            for (int i = 0; i < n; i++)
            {
                double w = weights[i] / total;
                for (int j = 0; j < length; j++)
                {
                    z[j] += w * rows[i][j];
                }
            }

            double objective = Objective(rows, z, weights);
            bool converged = Math.Abs(previous - objective) <= tolerance * objective;
            previous = objective;
            if (converged)
            {
                break;
            }
        }

        for (int j = 0; j < length; j++)
        {
            destination[j] = (float)z[j];
        }

        return iterations;
    }

    // distances[i] ← ‖xᵢ − z‖; returns their sum.
    private static double Objective(float[][] rows, double[] z, double[] distances)
    {
        double sum = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < z.Length; j++)
            {
                double d = rows[i][j] - z[j];
                s += d * d;
            }

            distances[i] = Math.Sqrt(s);
            sum += distances[i];
        }

        return sum;
    }
}
