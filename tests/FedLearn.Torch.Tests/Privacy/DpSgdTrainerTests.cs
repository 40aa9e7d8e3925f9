using FedLearn.Data;
using FedLearn.Privacy.Accounting;
using FedLearn.Torch.Privacy;
using FedLearn.Torch.Tests.TestData;
using Microsoft.Extensions.Options;

namespace FedLearn.Torch.Tests.Privacy;

public sealed class DpSgdTrainerTests
{
    [Test]
    public async Task The_noise_on_the_update_has_standard_deviation_sigma_times_c()
    {
        // q = 1 (expected batch = N) and one step: w' = w − lr·(Σ clipped + Z)/N. Against the same step with σ = 0
        // (same batch, same clipped sum) the difference is lr·Z/N, so N/lr times it must have standard deviation σ·C.
        DatasetView train = FashionMnistSamples.Train(64).All();
        DatasetView none = FashionMnistSamples.Test(1).Take(0);
        const double Sigma = 2.0;
        const double Clip = 0.5;
        const double Lr = 1.0;
        using var initialModel = new MlpModel(seed: 8);
        ModelWeights initial = initialModel.GetWeights();
        var config = new FitConfig { Round = 1, LocalEpochs = 1, LearningRate = Lr, Seed = 31 };
        DpSgdOptions Options(double sigma) => new() { NoiseMultiplier = sigma, MaxGradientNorm = Clip, ExpectedBatchSize = 64, Momentum = 0, Device = TorchDevicePreference.Cpu };

        using var noisy = new DpSgdTrainer(new MlpModel(seed: 8), train, none, Options(Sigma));
        using var clean = new DpSgdTrainer(new MlpModel(seed: 8), train, none, Options(0));
        LocalFitResult withNoise = await noisy.FitAsync(initial, config, CancellationToken.None);
        LocalFitResult without = await clean.FitAsync(initial, config, CancellationToken.None);

        Assert.That(withNoise.Metrics.Steps, Is.EqualTo(1));
        float[] a = withNoise.Weights.Values.ToArray();
        float[] b = without.Weights.Values.ToArray();
        double[] noise = [.. a.Zip(b, (x, y) => ((double)y - x) * 64 / Lr)];
        double mean = noise.Average();
        double std = Math.Sqrt(noise.Sum(x => (x - mean) * (x - mean)) / (noise.Length - 1));
        // 203,530 draws: the sample std has relative standard error 0.16 %; the tolerance is 1 %.
        Assert.That(std, Is.EqualTo(Sigma * Clip).Within(1).Percent);
        Assert.That(Math.Abs(mean), Is.LessThan(5 * Sigma * Clip / Math.Sqrt(noise.Length)));
    }

    [Test]
    public async Task The_accountant_counts_every_step_at_the_trainers_sigma_and_q()
    {
        DatasetView train = FashionMnistSamples.Train(500).All();
        DatasetView test = FashionMnistSamples.Test(100).All();
        using var trainer = new DpSgdTrainer(new MlpModel(1), train, test, new DpSgdOptions { NoiseMultiplier = 1.3, ExpectedBatchSize = 50, Device = TorchDevicePreference.Cpu });
        using var initialModel = new MlpModel(1);
        ModelWeights weights = initialModel.GetWeights();
        Assert.That(trainer.Spent().Epsilon, Is.EqualTo(0), "nothing spent before the first step");

        LocalFitResult first = await trainer.FitAsync(weights, new FitConfig { Round = 1, LocalEpochs = 2, LearningRate = 0.5, Seed = 1 }, CancellationToken.None);
        LocalFitResult second = await trainer.FitAsync(first.Weights, new FitConfig { Round = 2, LocalEpochs = 1, LearningRate = 0.5, Seed = 2 }, CancellationToken.None);

        Assert.That(trainer.SampleRate, Is.EqualTo(0.1));
        long perEpoch = NoiseCalibration.StepsFor(1, 0.1);
        Assert.That(first.Metrics.Steps, Is.EqualTo(NoiseCalibration.StepsFor(2, 0.1)));
        Assert.That(second.Metrics.Steps, Is.EqualTo(perEpoch));
        Assert.That(trainer.StepCount, Is.EqualTo(first.Metrics.Steps + second.Metrics.Steps));
        Assert.That(trainer.History, Is.EqualTo(new[] { new PrivacyStep(1.3, 0.1, trainer.StepCount) }));
        var reference = new RdpAccountant();
        reference.AddSteps(1.3, 0.1, trainer.StepCount);
        Assert.That(trainer.Spent().Epsilon, Is.EqualTo(reference.GetEpsilon(1e-5)));
        Assert.That(trainer.Spent().Delta, Is.EqualTo(1e-5));
        PrvEpsilon? prv = trainer.SpentPrv();
        Assert.That(prv, Is.Not.Null);
        Assert.That(prv!.Upper, Is.LessThan(trainer.Spent().Epsilon), "PRV is tighter than RDP");
    }

    [Test]
    public async Task A_target_epsilon_is_spent_but_not_exceeded_over_the_planned_epochs()
    {
        DatasetView train = FashionMnistSamples.Train(1_000).All();
        DatasetView test = FashionMnistSamples.Test(500).All();
        var options = new DpSgdOptions { TargetEpsilon = 4, PlannedEpochs = 4, ExpectedBatchSize = 100, MaxGradientNorm = 1, Device = TorchDevicePreference.Cpu };
        using var trainer = new DpSgdTrainer(new MlpModel(2), train, test, options);
        using var initialModel = new MlpModel(2);
        ModelWeights weights = initialModel.GetWeights();
        EvaluationMetrics before = await trainer.EvaluateAsync(weights, CancellationToken.None);
        for (int round = 1; round <= 4; round++)
        {
            weights = (await trainer.FitAsync(weights, new FitConfig { Round = round, LocalEpochs = 1, LearningRate = 0.1, Seed = (ulong)round }, CancellationToken.None)).Weights;
        }

        EvaluationMetrics after = await trainer.EvaluateAsync(weights, CancellationToken.None);
        Assert.That(trainer.Spent().Epsilon, Is.InRange(4 - options.CalibrationTolerance, 4.0));
        Assert.That(after.Loss, Is.LessThan(before.Loss), "private training still learns");
        TestContext.Out.WriteLine($"σ = {trainer.NoiseMultiplier:F4}, ε = {trainer.Spent().Epsilon:F4}, accuracy {before.Accuracy:P1} → {after.Accuracy:P1}");
    }

    [Test]
    public void Batch_normalisation_is_rejected_when_the_trainer_is_built()
    {
        DatasetView train = FashionMnistSamples.Train(10).All();
        var exception = Assert.Throws<ArgumentException>(() =>
            new DpSgdTrainer(TestModels.WithBatchNorm(), train, train, new DpSgdOptions { NoiseMultiplier = 1 }).Dispose());
        Assert.That(exception!.Message, Does.Contain("BatchNorm2d").And.Contain("GroupNorm").And.Contain("LayerNorm"));
    }

    [Test]
    public void Options_list_every_error()
    {
        DatasetView train = FashionMnistSamples.Train(10).All();
        var options = new DpSgdOptions { TargetEpsilon = -1, MaxGradientNorm = 0, Delta = 2 };
        var exception = Assert.Throws<OptionsValidationException>(() => new DpSgdTrainer(new MlpModel(1), train, train, options).Dispose());
        string message = string.Join("\n", exception!.Failures);
        Assert.That(message, Does.Contain("TargetEpsilon: must be positive and finite."));
        Assert.That(message, Does.Contain("PlannedEpochs: is required with TargetEpsilon"));
        Assert.That(message, Does.Contain("MaxGradientNorm: must be positive and finite."));
        Assert.That(message, Does.Contain("Delta: must be in (0, 1)."));

        var neither = Assert.Throws<OptionsValidationException>(() => new DpSgdTrainer(new MlpModel(1), train, train, new DpSgdOptions()).Dispose());
        Assert.That(string.Join("\n", neither!.Failures), Does.Contain("set exactly one of TargetEpsilon and NoiseMultiplier."));
    }
}
