using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using FedLearn.Training;

namespace FedLearn.Privacy.Tests.Auditing;

/// <summary>Prediction vectors of Core's softmax regression (fc.weight [C, F], fc.bias [C]), in plain C#.</summary>
internal sealed class SoftmaxPredictionSource : IPredictionSource
{
    public Task<PredictionSet> PredictAsync(ModelWeights weights, DatasetView data, CancellationToken cancellationToken)
    {
        int classes = data.Dataset.ClassCount;
        int features = data.Dataset.FeatureCount;
        ReadOnlySpan<float> w = weights.GetTensor(SoftmaxRegressionTrainer.WeightName);
        ReadOnlySpan<float> b = weights.GetTensor(SoftmaxRegressionTrainer.BiasName);
        var probabilities = new double[data.Count * classes];
        var labels = new int[data.Count];
        var logits = new double[classes];
        for (int i = 0; i < data.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<float> x = data.GetFeatures(i);
            double max = double.NegativeInfinity;
            for (int c = 0; c < classes; c++)
            {
                double z = b[c];
                for (int f = 0; f < features; f++)
                {
                    z += (double)w[(c * features) + f] * x[f];
                }

                logits[c] = z;
                max = Math.Max(max, z);
            }

            double sum = 0;
            for (int c = 0; c < classes; c++)
            {
                logits[c] = Math.Exp(logits[c] - max);
                sum += logits[c];
            }

            for (int c = 0; c < classes; c++)
            {
                probabilities[(i * classes) + c] = logits[c] / sum;
            }

            labels[i] = data.GetLabel(i);
        }

        return Task.FromResult(new PredictionSet(probabilities, labels, classes));
    }
}
