using FedLearn.Data;
using FedLearn.Privacy.Auditing;

namespace FedLearn.Privacy.Tests.Auditing;

/// <summary>Prediction vectors that ignore the weights: random probabilities, seeded, so no attack can do better than chance.</summary>
internal sealed class RandomPredictionSource(ulong seed) : IPredictionSource
{
    private readonly DeterministicRandom _random = new(seed);

    public Task<PredictionSet> PredictAsync(ModelWeights weights, DatasetView data, CancellationToken cancellationToken)
    {
        int classes = data.Dataset.ClassCount;
        var probabilities = new double[data.Count * classes];
        var labels = new int[data.Count];
        for (int i = 0; i < data.Count; i++)
        {
            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                double value = 1e-3 + _random.NextDouble();
                probabilities[(i * classes) + c] = value;
                sum += value;
            }

            for (int c = 0; c < classes; c++)
            {
                probabilities[(i * classes) + c] /= sum;
            }

            labels[i] = data.GetLabel(i);
        }

        return Task.FromResult(new PredictionSet(probabilities, labels, classes));
    }
}
