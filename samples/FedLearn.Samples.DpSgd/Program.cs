using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using FedLearn;
using FedLearn.Data;
using FedLearn.Samples.DpSgd;
using FedLearn.Torch;
using FedLearn.Torch.Privacy;

// Central DP-SGD on Fashion-MNIST: one model per target ε, trained for a fixed number of epochs with the noise
// calibrated to spend that ε at δ, and its test accuracy after every epoch. ε = inf trains with clipping and no noise.
// Usage: dotnet run --project samples/FedLearn.Samples.DpSgd -c Release -- [--epsilons 1,3,5,10,inf] [--epochs 10]
//   [--batch 1024] [--lr 4] [--clip 0.1] [--delta 1e-5] [--model dpcnn|mlp|cnn] [--optimizer sgd|adam]
//   [--physical 512] [--threads 2] [--train-subset N] [--seed 1] [--data-dir DIR] [--output DIR]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

DpSgdSettings settings;
try
{
    settings = DpSgdSettings.Parse(args);
}
catch (FormatException exception)
{
    Console.Error.WriteLine($"error: {exception.Message}");
    return 2;
}

TorchRuntime.SetWorkerCount(1);
TorchRuntime.SetThreadCount(settings.Threads);
LabeledDataset train = FashionMnist.Load(settings.DataDir, train: true);
LabeledDataset test = FashionMnist.Load(settings.DataDir, train: false);
DatasetView trainView = settings.TrainSubset is { } subset ? train.Take(subset) : train.All();
DatasetView testView = test.All();
Directory.CreateDirectory(settings.Output);
string resultsPath = Path.Combine(settings.Output, "results.jsonl");
Console.WriteLine($"DP-SGD on Fashion-MNIST: model {settings.Model}, {trainView.Count:N0} training images, expected batch {settings.Batch}, "
    + $"{settings.Epochs} epochs, lr {settings.Lr} ({settings.Optimizer}), C = {settings.Clip}, δ = {settings.Delta}, {settings.Threads} LibTorch threads");
Console.WriteLine("| ε target | σ | steps | ε spent (RDP) | ε spent (PRV upper) | test accuracy (last epoch) | best epoch accuracy | seconds per epoch |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
foreach (double epsilon in settings.Epsilons)
{
    var options = new DpSgdOptions
    {
        Delta = settings.Delta,
        MaxGradientNorm = settings.Clip,
        ExpectedBatchSize = settings.Batch,
        MaxPhysicalBatchSize = settings.Physical,
        Optimizer = settings.Optimizer == "adam" ? TorchOptimizerKind.Adam : TorchOptimizerKind.Sgd,
        Device = TorchDevicePreference.Cpu,
    };
    if (double.IsPositiveInfinity(epsilon))
    {
        options.NoiseMultiplier = 0;
    }
    else
    {
        options.TargetEpsilon = epsilon;
        options.PlannedEpochs = settings.Epochs;
    }

    using var model = DpSgdModels.Create(settings.Model, settings.Seed);
    ModelWeights weights = model.GetWeights();
    using var trainer = new DpSgdTrainer(model, trainView, testView, options);
    var wall = Stopwatch.StartNew();
    double best = 0;
    EvaluationMetrics last = EvaluationMetrics.Empty;
    for (int epoch = 1; epoch <= settings.Epochs; epoch++)
    {
        var config = new FitConfig { Round = epoch, LocalEpochs = 1, LearningRate = settings.Lr, Seed = Seeds.Derive(settings.Seed, epoch) };
        LocalFitResult fit = await trainer.FitAsync(weights, config, CancellationToken.None);
        weights = fit.Weights;
        last = await trainer.EvaluateAsync(weights, CancellationToken.None);
        best = Math.Max(best, last.Accuracy);
        if (epoch == 1 && trainer.FallbackParameterNames.Count > 0)
        {
            Console.Error.WriteLine($"per-sample gradients one sample at a time for: {string.Join(", ", trainer.FallbackParameterNames)}");
        }

        PrivacyBudget spent = trainer.Spent();
        Console.Error.WriteLine($"ε target {epsilon}: epoch {epoch}, train loss {fit.Metrics.Loss:F4}, test accuracy {last.Accuracy:P2}, ε spent {spent.Epsilon:F3}, {fit.Metrics.Duration.TotalSeconds:F1} s fit");
        File.AppendAllText(resultsPath, JsonSerializer.Serialize(new
        {
            targetEpsilon = double.IsInfinity(epsilon) ? "inf" : epsilon.ToString(CultureInfo.InvariantCulture),
            epoch,
            trainLoss = double.IsFinite(fit.Metrics.Loss) ? fit.Metrics.Loss.ToString(CultureInfo.InvariantCulture) : "nan",
            testAccuracy = double.IsFinite(last.Accuracy) ? last.Accuracy.ToString(CultureInfo.InvariantCulture) : "nan",
            epsilonRdp = double.IsInfinity(spent.Epsilon) ? "inf" : spent.Epsilon.ToString(CultureInfo.InvariantCulture),
            noiseMultiplier = trainer.NoiseMultiplier,
            steps = trainer.StepCount,
            fitSeconds = fit.Metrics.Duration.TotalSeconds,
        }) + Environment.NewLine);
    }

    wall.Stop();
    PrivacyBudget final = trainer.Spent();
    string prv = trainer.SpentPrv() is { } p ? p.Upper.ToString("F3", CultureInfo.InvariantCulture) : "—";
    string target = double.IsInfinity(epsilon) ? "∞ (σ = 0)" : epsilon.ToString(CultureInfo.InvariantCulture);
    string rdp = double.IsInfinity(final.Epsilon) ? "∞" : final.Epsilon.ToString("F3", CultureInfo.InvariantCulture);
    Console.WriteLine($"| {target} | {trainer.NoiseMultiplier:F4} | {trainer.StepCount} | {rdp} | {prv} | {last.Accuracy:P2} | {best:P2} | {wall.Elapsed.TotalSeconds / settings.Epochs:F0} |");
}

return 0;
