using FedLearn.Data;
using FedLearn.Torch.Tests.TestData;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Training;

public sealed class TorchEvaluationTests
{
    [Test]
    public void Batched_evaluation_equals_one_record_at_a_time()
    {
        DatasetView data = FashionMnistSamples.Test(300).All();
        using var model = new CnnModel(seed: 1);
        ModelWeights weights = model.GetWeights();
        using var other = new CnnModel(seed: 2);

        EvaluationMetrics batched = TorchEvaluation.Evaluate(other, weights, data, batchSize: 128);
        (double loss, long correct) = OneByOne(model, data);

        Assert.That(batched.ExampleCount, Is.EqualTo(300));
        Assert.That(batched.Accuracy, Is.EqualTo(correct / 300.0));
        Assert.That(batched.Loss, Is.EqualTo(loss / 300).Within(1e-5));
    }

    [Test]
    public async Task Central_evaluation_agrees_with_the_trainer()
    {
        DatasetView test = FashionMnistSamples.Test(200).All();
        using var trainer = TorchTrainer.Create("mlp", FashionMnistSamples.Train(10).All(), test);
        using var model = new MlpModel(seed: 3);
        ModelWeights weights = model.GetWeights();
        using var central = new MlpModel(seed: 4);

        EvaluationMetrics fromTrainer = await trainer.EvaluateAsync(weights, CancellationToken.None);
        EvaluationMetrics fromHelper = TorchEvaluation.Evaluate(central, weights, test);

        Assert.That(fromHelper.Accuracy, Is.EqualTo(fromTrainer.Accuracy));
        Assert.That(fromHelper.Loss, Is.EqualTo(fromTrainer.Loss).Within(1e-9));
    }

    [Test]
    public void A_view_selects_the_records_it_names()
    {
        LabeledDataset dataset = FashionMnistSamples.Test(100);
        using var model = new MlpModel(seed: 5);
        ModelWeights weights = model.GetWeights();
        int[] indices = [97, 3, 50, 3];
        var view = new DatasetView(dataset, indices);

        EvaluationMetrics metrics = TorchEvaluation.Evaluate(model, weights, view, batchSize: 3);
        (double loss, long correct) = OneByOne(model, view);

        Assert.That(metrics.ExampleCount, Is.EqualTo(4));
        Assert.That(metrics.Accuracy, Is.EqualTo(correct / 4.0));
        Assert.That(metrics.Loss, Is.EqualTo(loss / 4).Within(1e-5));
    }

    [Test]
    public void An_empty_view_gives_empty_metrics()
    {
        using var model = new MlpModel(seed: 6);
        var empty = new DatasetView(FashionMnistSamples.Test(10), []);

        Assert.That(TorchEvaluation.Evaluate(model, model.GetWeights(), empty), Is.EqualTo(EvaluationMetrics.Empty));
    }

    [Test]
    public void A_cancelled_evaluation_throws()
    {
        using var model = new MlpModel(seed: 7);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Throws<OperationCanceledException>(() => TorchEvaluation.Evaluate(model, model.GetWeights(), FashionMnistSamples.Test(10).All(), cancellationToken: cancelled.Token));
    }

    /// <summary>Reference: each record built on its own with torch.tensor, summed in double.</summary>
    private static (double Loss, long Correct) OneByOne(nn.Module<Tensor, Tensor> model, DatasetView data)
    {
        model.eval();
        using IDisposable noGrad = no_grad();
        double loss = 0;
        long correct = 0;
        for (int i = 0; i < data.Count; i++)
        {
            using DisposeScope scope = NewDisposeScope();
            Tensor input = tensor(data.GetFeatures(i).ToArray(), [1, 1, 28, 28]);
            Tensor logits = model.forward(input);
            Tensor label = tensor(new long[] { data.GetLabel(i) });
            loss += nn.functional.cross_entropy(logits, label).item<float>();
            correct += logits.argmax(1).item<long>() == data.GetLabel(i) ? 1 : 0;
        }

        return (loss, correct);
    }
}
