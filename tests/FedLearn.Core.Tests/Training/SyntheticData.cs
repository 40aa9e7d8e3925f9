using FedLearn.Data;

namespace FedLearn.Core.Tests.Training;

/// <summary>Linearly separable classification data: labels are the arg-max of a fixed random linear map, with a margin.</summary>
internal static class SyntheticData
{
    /// <summary>
    /// Draws x ~ N(0, I) and labels it argmax(W·x) for a random W, keeping only points whose best score beats the
    /// runner-up by at least <paramref name="margin"/>, so a linear classifier separates the classes with room to spare.
    /// </summary>
    public static LabeledDataset Separable(int count, int features, int classes, ulong seed, double margin = 0.5)
    {
        var random = new DeterministicRandom(seed);
        double[] truth = new double[classes * features];
        for (int i = 0; i < truth.Length; i++)
        {
            truth[i] = random.NextGaussian();
        }

        float[] x = new float[count * features];
        int[] labels = new int[count];
        double[] scores = new double[classes];
        int made = 0;
        while (made < count)
        {
            Span<float> row = x.AsSpan(made * features, features);
            for (int f = 0; f < features; f++)
            {
                row[f] = (float)random.NextGaussian();
            }

            for (int c = 0; c < classes; c++)
            {
                double s = 0;
                for (int f = 0; f < features; f++)
                {
                    s += truth[(c * features) + f] * row[f];
                }

                scores[c] = s;
            }

            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                best = scores[c] > scores[best] ? c : best;
            }

            double runnerUp = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                runnerUp = c != best ? Math.Max(runnerUp, scores[c]) : runnerUp;
            }

            if (scores[best] - runnerUp >= margin)
            {
                labels[made++] = best;
            }
        }

        return new LabeledDataset(x, labels, features, classes);
    }

    /// <summary>Splits a dataset into a view of its first <paramref name="trainCount"/> records and a view of the rest.</summary>
    public static (DatasetView Train, DatasetView Test) Split(LabeledDataset data, int trainCount) =>
        (new DatasetView(data, Enumerable.Range(0, trainCount).ToArray()),
         new DatasetView(data, Enumerable.Range(trainCount, data.Count - trainCount).ToArray()));
}
