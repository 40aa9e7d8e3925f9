using FedLearn.Data;
using FedLearn.Training;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Training;

public sealed class SoftmaxRegressionTrainerTests
{
    private const int Features = 10;
    private const int Classes = 3;

    private static readonly LabeledDataset Data = SyntheticData.Separable(3000, Features, Classes, seed: 42);

    [Test]
    public async Task Reaches_over_95_percent_on_held_out_separable_data()
    {
        (DatasetView train, DatasetView test) = SyntheticData.Split(Data, 2000);
        var trainer = new SoftmaxRegressionTrainer(train, test);
        ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 1);

        LocalFitResult fit = await trainer.FitAsync(initial, Config(epochs: 10), CancellationToken.None);
        EvaluationMetrics before = await trainer.EvaluateAsync(initial, CancellationToken.None);
        EvaluationMetrics after = await trainer.EvaluateAsync(fit.Weights, CancellationToken.None);

        Assert.That(after.Accuracy, Is.GreaterThan(0.95));
        Assert.That(after.Loss, Is.LessThan(before.Loss));
        Assert.That(after.ExampleCount, Is.EqualTo(1000));
    }

    [Test]
    public async Task Loss_on_the_training_data_decreases_epoch_after_epoch()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 2000);
        var trainer = new SoftmaxRegressionTrainer(train);
        ModelWeights weights = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 2);
        var losses = new List<double> { SoftmaxRegressionTrainer.Evaluate(weights, train).Loss };

        for (int epoch = 1; epoch <= 5; epoch++)
        {
            weights = (await trainer.FitAsync(weights, Config(epochs: 1, seed: (ulong)epoch), CancellationToken.None)).Weights;
            losses.Add(SoftmaxRegressionTrainer.Evaluate(weights, train).Loss);
        }

        Assert.That(losses, Is.Ordered.Descending);
        Assert.That(losses.Distinct().Count(), Is.EqualTo(losses.Count), $"losses must strictly decrease: {string.Join(", ", losses)}");
    }

    [Test]
    public async Task One_full_batch_step_follows_the_finite_difference_gradient_of_the_mean_loss()
    {
        LabeledDataset small = SyntheticData.Separable(60, 4, 3, seed: 12);
        DatasetView all = small.All();
        ModelWeights start = SoftmaxRegressionTrainer.CreateInitialWeights(4, 3, seed: 13);

        // One epoch in one batch with η = 1: w₁ = w₀ − ∇L(w₀), so the step is the analytic gradient.
        ModelWeights stepped = (await new SoftmaxRegressionTrainer(all)
            .FitAsync(start, new FitConfig { Round = 1, LocalEpochs = 1, BatchSize = 60, LearningRate = 1 }, CancellationToken.None)).Weights;

        const float h = 1e-2f;
        for (int i = 0; i < start.Length; i++)
        {
            ModelWeights plus = start.Clone();
            ModelWeights minus = start.Clone();
            plus.Values[i] += h;
            minus.Values[i] -= h;
            double numeric = (SoftmaxRegressionTrainer.Evaluate(plus, all).Loss - SoftmaxRegressionTrainer.Evaluate(minus, all).Loss) / (plus.Values[i] - minus.Values[i]);
            double analytic = start.Values[i] - stepped.Values[i];
            Assert.That(analytic, Is.EqualTo(numeric).Within(2e-3), $"parameter {i} ({(i < 12 ? "fc.weight" : "fc.bias")})");
        }
    }

    [Test]
    public async Task Reports_the_last_epoch_and_the_work_done()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 2000);
        var trainer = new SoftmaxRegressionTrainer(train);
        ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 3);

        LocalFitResult fit = await trainer.FitAsync(initial, Config(epochs: 3, batchSize: 64), CancellationToken.None);

        TrainingMetrics metrics = fit.Metrics;
        Assert.That(metrics.ExampleCount, Is.EqualTo(2000));
        Assert.That(metrics.Steps, Is.EqualTo(3 * 32), "2000 records in batches of 64 make 32 steps per epoch, the last one of 16");
        Assert.That(metrics.Accuracy, Is.InRange(0.9, 1.0));
        Assert.That(metrics.Loss, Is.GreaterThan(0).And.LessThan(SoftmaxRegressionTrainer.Evaluate(initial, train).Loss));
        Assert.That(metrics.Duration, Is.GreaterThanOrEqualTo(TimeSpan.Zero));
        Assert.That(fit.Weights.HasSameLayout(initial), Is.True);
        Assert.That(fit.Weights.Values, Is.Not.SameAs(initial.Values), "the result owns a new buffer");
    }

    [Test]
    public async Task Does_not_modify_the_global_weights()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 500);
        ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 4);
        float[] copy = (float[])initial.Values.Clone();

        await new SoftmaxRegressionTrainer(train).FitAsync(initial, Config(epochs: 2), CancellationToken.None);

        Assert.That(initial.Values, Is.EqualTo(copy).AsCollection);
    }

    [Test]
    public async Task The_same_seed_gives_bit_identical_weights_and_another_seed_does_not()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 1000);
        ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 5);

        ModelWeights a = (await new SoftmaxRegressionTrainer(train).FitAsync(initial, Config(epochs: 2, seed: 7), CancellationToken.None)).Weights;
        ModelWeights b = (await new SoftmaxRegressionTrainer(train).FitAsync(initial, Config(epochs: 2, seed: 7), CancellationToken.None)).Weights;
        ModelWeights c = (await new SoftmaxRegressionTrainer(train).FitAsync(initial, Config(epochs: 2, seed: 8), CancellationToken.None)).Weights;

        Assert.That(Bits(b), Is.EqualTo(Bits(a)));
        Assert.That(Bits(c), Is.Not.EqualTo(Bits(a)));
    }

    [Test]
    public async Task A_huge_proximal_term_keeps_the_weights_at_the_global_ones()
    {
        // With η·μ = 1 each step sets w − w_global to −η·∇ of the last batch, whatever came before, so the distance is
        // at most η·G with G ≤ √2·max‖[x, 1]‖ bounding the norm of a cross-entropy gradient.
        (DatasetView train, _) = SyntheticData.Split(Data, 1000);
        var trainer = new SoftmaxRegressionTrainer(train);
        ModelWeights global = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 6);
        const double learningRate = 0.1;

        ModelWeights plain = (await trainer.FitAsync(global, Config(epochs: 3, learningRate: learningRate), CancellationToken.None)).Weights;
        ModelWeights proximal = (await trainer.FitAsync(global, Config(epochs: 3, learningRate: learningRate) with { ProximalMu = 1 / learningRate }, CancellationToken.None)).Weights;

        double maxInputNorm = Enumerable.Range(0, train.Count)
            .Max(i => Math.Sqrt(1 + train.GetFeatures(i).ToArray().Sum(v => (double)v * v)));
        double bound = learningRate * Math.Sqrt(2) * maxInputNorm;
        double plainDistance = Distance(plain, global);
        double proximalDistance = Distance(proximal, global);
        Assert.That(proximalDistance, Is.LessThanOrEqualTo(bound));
        Assert.That(proximalDistance, Is.LessThan(plainDistance / 10), $"plain {plainDistance}, proximal {proximalDistance}");
    }

    [Test]
    public void A_proximal_or_decay_rate_that_makes_sgd_diverge_is_rejected()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 100);
        var trainer = new SoftmaxRegressionTrainer(train, options: new SoftmaxRegressionOptions { WeightDecay = 1 });
        ModelWeights global = SoftmaxRegressionTrainer.CreateZeroWeights(Features, Classes);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.FitAsync(global, Config(learningRate: 0.5) with { ProximalMu = 3 }, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain("FitConfig.LearningRate × (WeightDecay + FitConfig.ProximalMu) is 2; it must stay below 2"));
    }

    [Test]
    public async Task Weight_decay_shrinks_the_weights()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 1000);
        ModelWeights initial = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 9);

        ModelWeights plain = (await new SoftmaxRegressionTrainer(train).FitAsync(initial, Config(epochs: 5), CancellationToken.None)).Weights;
        ModelWeights decayed = (await new SoftmaxRegressionTrainer(train, options: new SoftmaxRegressionOptions { WeightDecay = 0.05 })
            .FitAsync(initial, Config(epochs: 5), CancellationToken.None)).Weights;

        Assert.That(decayed.L2Norm(), Is.LessThan(plain.L2Norm()));
    }

    [Test]
    public void Rejects_weights_of_another_layout_with_a_clear_message()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 100);
        var trainer = new SoftmaxRegressionTrainer(train);
        var wrongNames = new ModelWeights([("linear.weight", [Classes, Features]), ("linear.bias", [Classes])]);
        ModelWeights wrongShape = SoftmaxRegressionTrainer.CreateZeroWeights(Features + 1, Classes);

        var names = Assert.Throws<ArgumentException>(() => trainer.FitAsync(wrongNames, Config(), CancellationToken.None));
        var shape = Assert.Throws<ArgumentException>(() => trainer.EvaluateAsync(wrongShape, CancellationToken.None));

        Assert.That(names!.Message, Does.Contain(
            "Softmax regression over 10 features and 3 classes needs the tensors 'fc.weight' [3, 10] and 'fc.bias' [3], in that order, but the weights have 'linear.weight' [3, 10], 'linear.bias' [3]."));
        Assert.That(names.ParamName, Is.EqualTo("globalWeights"));
        Assert.That(shape!.Message, Does.Contain("but the weights have 'fc.weight' [3, 11], 'fc.bias' [3]."));
    }

    [TestCase(-1, 32, 0.1, 0.0, "FitConfig.LocalEpochs must not be negative")]
    [TestCase(1, 0, 0.1, 0.0, "FitConfig.BatchSize must be at least 1")]
    [TestCase(1, 32, 0.0, 0.0, "FitConfig.LearningRate must be positive and finite")]
    [TestCase(1, 32, double.NaN, 0.0, "FitConfig.LearningRate must be positive and finite")]
    [TestCase(1, 32, 0.1, -1.0, "FitConfig.ProximalMu must be zero or positive and finite")]
    public void Rejects_an_invalid_config(int epochs, int batchSize, double learningRate, double mu, string message)
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 100);
        var config = new FitConfig { Round = 1, LocalEpochs = epochs, BatchSize = batchSize, LearningRate = learningRate, ProximalMu = mu };

        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new SoftmaxRegressionTrainer(train).FitAsync(SoftmaxRegressionTrainer.CreateZeroWeights(Features, Classes), config, CancellationToken.None));

        Assert.That(error!.Message, Does.Contain(message));
    }

    [Test]
    public void Rejects_invalid_options()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 100);

        var error = Assert.Throws<OptionsValidationException>(() => _ = new SoftmaxRegressionTrainer(train, options: new SoftmaxRegressionOptions { WeightDecay = -0.1 }));

        Assert.That(error!.Message, Is.EqualTo("SoftmaxRegressionOptions.WeightDecay: must be zero or positive and finite"));
    }

    [Test]
    public void Rejects_test_data_of_another_shape()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 100);
        DatasetView other = SyntheticData.Separable(10, Features, Classes + 1, seed: 1).All();

        var error = Assert.Throws<ArgumentException>(() => _ = new SoftmaxRegressionTrainer(train, other));

        Assert.That(error!.Message, Does.Contain("The test data has 10 features and 4 classes but the training data has 10 and 3."));
    }

    [Test]
    public async Task Zero_weights_score_log_of_the_class_count_and_predict_class_zero()
    {
        (_, DatasetView test) = SyntheticData.Split(Data, 2000);
        double classZeroShare = Enumerable.Range(0, test.Count).Count(i => test.GetLabel(i) == 0) / (double)test.Count;

        EvaluationMetrics metrics = await new SoftmaxRegressionTrainer(test, test)
            .EvaluateAsync(SoftmaxRegressionTrainer.CreateZeroWeights(Features, Classes), CancellationToken.None);

        Assert.That(metrics.Loss, Is.EqualTo(Math.Log(Classes)).Within(1e-6));
        Assert.That(metrics.Accuracy, Is.EqualTo(classZeroShare));
        Assert.That(metrics.ExampleCount, Is.EqualTo(test.Count));
    }

    [Test]
    public async Task Evaluation_without_test_data_is_empty()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 100);
        ModelWeights weights = SoftmaxRegressionTrainer.CreateZeroWeights(Features, Classes);

        Assert.That(await new SoftmaxRegressionTrainer(train).EvaluateAsync(weights, CancellationToken.None), Is.SameAs(EvaluationMetrics.Empty));
        Assert.That(await new SoftmaxRegressionTrainer(train, new DatasetView(Data, [])).EvaluateAsync(weights, CancellationToken.None), Is.SameAs(EvaluationMetrics.Empty));
    }

    [Test]
    public async Task Training_without_data_returns_the_global_weights()
    {
        ModelWeights global = SoftmaxRegressionTrainer.CreateInitialWeights(Features, Classes, seed: 10);

        LocalFitResult fit = await new SoftmaxRegressionTrainer(new DatasetView(Data, [])).FitAsync(global, Config(), CancellationToken.None);

        Assert.That(fit.Weights.Values, Is.EqualTo(global.Values).AsCollection);
        Assert.That(fit.Metrics.Steps, Is.Zero);
        Assert.That(fit.Metrics.ExampleCount, Is.Zero);
        Assert.That(fit.Metrics.Loss, Is.NaN);
    }

    [Test]
    public void A_cancelled_token_cancels_fit_and_evaluation()
    {
        (DatasetView train, DatasetView test) = SyntheticData.Split(Data, 100);
        var trainer = new SoftmaxRegressionTrainer(train, test);
        ModelWeights weights = SoftmaxRegressionTrainer.CreateZeroWeights(Features, Classes);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAsync<TaskCanceledException>(() => trainer.FitAsync(weights, Config(), cancelled.Token));
        Assert.ThrowsAsync<TaskCanceledException>(() => trainer.EvaluateAsync(weights, cancelled.Token));
    }

    [Test]
    public void Cancelling_during_training_stops_it_between_batches()
    {
        (DatasetView train, _) = SyntheticData.Split(Data, 3000);
        var trainer = new SoftmaxRegressionTrainer(train);
        ModelWeights weights = SoftmaxRegressionTrainer.CreateZeroWeights(Features, Classes);
        using var cancellation = new CancellationTokenSource();

        // Far more epochs than could finish before the cancellation arrives.
        Task<LocalFitResult> fit = Task.Run(() => trainer.FitAsync(weights, Config(epochs: 1_000_000), cancellation.Token));
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));

        Assert.ThrowsAsync<TaskCanceledException>(() => fit);
    }

    [Test]
    public void Initial_weights_have_the_linear_layout_and_depend_only_on_the_seed()
    {
        ModelWeights a = SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 1);
        ModelWeights b = SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 1);
        ModelWeights c = SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 2);

        Assert.DoesNotThrow(() => SoftmaxRegressionTrainer.EnsureLayout(a, 784, 10));
        Assert.That(a.GetInfo("fc.weight").Shape, Is.EqualTo(new[] { 10, 784 }));
        Assert.That(a.GetInfo("fc.bias").Shape, Is.EqualTo(new[] { 10 }));
        Assert.That(a.Values.Select(Math.Abs).Max(), Is.LessThanOrEqualTo(1 / Math.Sqrt(784)));
        Assert.That(a.Values.Distinct().Count(), Is.GreaterThan(7000), "values are spread, not constant");
        Assert.That(b.Values, Is.EqualTo(a.Values).AsCollection);
        Assert.That(c.Values, Is.Not.EqualTo(a.Values).AsCollection);
    }

    private static FitConfig Config(int epochs = 1, int batchSize = 32, double learningRate = 0.1, ulong seed = 11) =>
        new() { Round = 1, LocalEpochs = epochs, BatchSize = batchSize, LearningRate = learningRate, Seed = seed };

    private static double Distance(ModelWeights a, ModelWeights b) =>
        Math.Sqrt(a.Values.Zip(b.Values, (x, y) => ((double)x - y) * ((double)x - y)).Sum());

    private static int[] Bits(ModelWeights weights) => weights.Values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
