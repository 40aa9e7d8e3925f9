using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using FedLearn.Torch.Tests.TestData;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Auditing;

public sealed class TorchPredictionSourceTests
{
    [Test]
    public async Task Rows_are_the_softmax_of_the_models_logits()
    {
        DatasetView data = FashionMnistSamples.Test(50).All();
        using var model = new MlpModel(seed: 7);
        ModelWeights weights = model.GetWeights();
        using var source = new TorchPredictionSource(new MlpModel(seed: 8), batchSize: 16);

        PredictionSet predictions = await source.PredictAsync(weights, data, CancellationToken.None);

        double[,] expected = Softmax(model, data);
        Assert.Multiple(() =>
        {
            Assert.That(predictions.Count, Is.EqualTo(50));
            Assert.That(predictions.ClassCount, Is.EqualTo(10));
            for (int i = 0; i < 50; i++)
            {
                Assert.That(predictions.Labels[i], Is.EqualTo(data.GetLabel(i)));
                Assert.That(predictions[i].ToArray().Sum(), Is.EqualTo(1.0).Within(1e-12));
                for (int c = 0; c < 10; c++)
                {
                    Assert.That(predictions[i][c], Is.EqualTo(expected[i, c]).Within(1e-6), $"example {i}, class {c}");
                }
            }
        });
    }

    [Test]
    public async Task Accuracy_of_the_predictions_equals_the_evaluation_accuracy()
    {
        DatasetView data = FashionMnistSamples.Test(300).All();
        using var model = new CnnModel(seed: 9);
        ModelWeights weights = model.GetWeights();
        using var source = TorchPredictionSource.Create("cnn");

        PredictionSet predictions = await source.PredictAsync(weights, data, CancellationToken.None);
        EvaluationMetrics evaluation = TorchEvaluation.Evaluate(model, weights, data);

        Assert.That(predictions.Accuracy(), Is.EqualTo(evaluation.Accuracy));
    }

    [Test]
    public async Task Keeps_confidences_that_float_precision_would_round_to_one()
    {
        // Scale the last layer so the logits are far apart: in float32 the top probability would be exactly 1.
        DatasetView data = FashionMnistSamples.Test(20).All();
        using var model = new MlpModel(seed: 10);
        ModelWeights weights = model.GetWeights();
        foreach (string name in new[] { "fc2.weight", "fc2.bias" })
        {
            Span<float> tensor = weights.GetTensor(name);
            for (int i = 0; i < tensor.Length; i++)
            {
                tensor[i] *= 400;
            }
        }

        using var source = TorchPredictionSource.Create("mlp");
        PredictionSet predictions = await source.PredictAsync(weights, data, CancellationToken.None);

        int resolved = 0;
        for (int i = 0; i < predictions.Count; i++)
        {
            double loss = MembershipFeatures.Loss(predictions[i], predictions.Labels[i]);
            Assert.That(double.IsFinite(loss), Is.True);
            double top = predictions[i].ToArray().Max();
            resolved += (float)top == 1f && top < 1 ? 1 : 0;
        }

        Assert.That(resolved, Is.GreaterThan(0), "some rows have a top probability that rounds to 1 in float32 but not in double");
    }

    [Test]
    public void Rejects_weights_of_another_model()
    {
        using var cnn = new CnnModel(seed: 1);
        using var source = TorchPredictionSource.Create("mlp");

        Assert.That(
            async () => await source.PredictAsync(cnn.GetWeights(), FashionMnistSamples.Test(5).All(), CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("conv1.weight"));
    }

    [Test]
    public async Task An_empty_view_gives_an_empty_set()
    {
        using var model = new MlpModel(seed: 1);
        using var source = TorchPredictionSource.Create("mlp");

        PredictionSet predictions = await source.PredictAsync(model.GetWeights(), FashionMnistSamples.Test(5).All().Select([]), CancellationToken.None);

        Assert.That(predictions.Count, Is.Zero);
    }

    private static double[,] Softmax(MlpModel model, DatasetView data)
    {
        var result = new double[data.Count, 10];
        using IDisposable noGrad = no_grad();
        for (int i = 0; i < data.Count; i++)
        {
            using Tensor input = tensor(data.GetFeatures(i).ToArray(), [1, 1, 28, 28]);
            using Tensor logits = model.forward(input);
            float[] values = logits.data<float>().ToArray();
            double max = values.Max();
            double sum = values.Sum(v => Math.Exp(v - max));
            for (int c = 0; c < 10; c++)
            {
                result[i, c] = Math.Exp(values[c] - max) / sum;
            }
        }

        return result;
    }
}
