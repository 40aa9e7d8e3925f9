using FedLearn.Data;
using FedLearn.Training;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Training;

[Category("RealData")]
public sealed class SoftmaxRegressionTrainerFashionMnistTests
{
    [Test]
    public async Task Central_training_on_10000_images_scores_at_least_78_percent_on_the_official_test_set()
    {
        if (!FashionMnistFiles.Available)
        {
            Assert.Ignore($"Fashion-MNIST is not installed in {FashionMnistFiles.Directory}.");
        }

        LabeledDataset train = FashionMnistFiles.Load("train", 10_000);
        LabeledDataset test = FashionMnistFiles.Load("t10k", int.MaxValue);
        var trainer = new SoftmaxRegressionTrainer(train.All(), test.All());
        ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 1);
        var config = new FitConfig { Round = 1, LocalEpochs = 10, BatchSize = 8, LearningRate = 0.01, Seed = 1 };

        LocalFitResult fit = await trainer.FitAsync(initial, config, CancellationToken.None);
        EvaluationMetrics metrics = await trainer.EvaluateAsync(fit.Weights, CancellationToken.None);

        // Softmax regression tops out near 84% on Fashion-MNIST; this budget gives about 82% for any seed tried
        // (81.6–82.4% over seeds 1–5), so 78% is a floor that only a real defect breaks.
        TestContext.Out.WriteLine($"Fashion-MNIST test accuracy {metrics.Accuracy:P2}, loss {metrics.Loss:F4}");
        Assert.That(test.Count, Is.EqualTo(10_000));
        Assert.That(metrics.ExampleCount, Is.EqualTo(10_000));
        Assert.That(metrics.Accuracy, Is.GreaterThanOrEqualTo(0.78));
    }
}
