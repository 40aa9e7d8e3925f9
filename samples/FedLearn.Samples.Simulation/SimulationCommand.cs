using System.CommandLine;
using System.Globalization;

namespace FedLearn.Samples.Simulation;

/// <summary>The command line: every option, its default, and the checks that make a bad option a one-line error.</summary>
internal static class SimulationCommand
{
    public static readonly string[] Models = ["cnn", "mlp", "softmax"];

    public static readonly string[] Optimizers = ["sgd", "adam"];

    private static readonly Option<int> Clients = new("--clients") { Description = "Number of simulated clients.", DefaultValueFactory = _ => 10 };
    private static readonly Option<int> Rounds = new("--rounds") { Description = "Federated rounds.", DefaultValueFactory = _ => 20 };
    private static readonly Option<double> Fraction = new("--fraction") { Description = "Fraction of clients sampled per round, in (0, 1].", DefaultValueFactory = _ => 1.0 };
    private static readonly Option<int> LocalEpochs = new("--local-epochs") { Description = "Local epochs per round.", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> BatchSize = new("--batch-size") { Description = "Local mini-batch size.", DefaultValueFactory = _ => 32 };
    private static readonly Option<double?> Lr = new("--lr") { Description = "Client learning rate (default: 0.001 with adam, 0.02 with sgd, 0.05 for softmax)." };
    private static readonly Option<string> LrSchedule = new("--lr-schedule") { Description = "Client learning rate over the rounds: constant | cosine (from --lr in round 1 down to near 0 in the last).", DefaultValueFactory = _ => "constant" };
    private static readonly Option<string> Model = new("--model") { Description = "Model: cnn (2 conv + 2 linear), mlp, or softmax (plain C#, no TorchSharp).", DefaultValueFactory = _ => "cnn" };
    private static readonly Option<string> Partition = new("--partition") { Description = "iid | dirichlet:<alpha> | shards:<k>.", DefaultValueFactory = _ => "iid" };
    private static readonly Option<int?> TrainSubset = new("--train-subset") { Description = "Use only the first N training images." };
    private static readonly Option<ulong> Seed = new("--seed") { Description = "Run seed.", DefaultValueFactory = _ => 42UL };
    private static readonly Option<string?> DataDir = new("--data-dir") { Description = "Folder with the Fashion-MNIST IDX files (else $FEDLEARN_DATA, else /usr/share/datasets/fashion-mnist)." };
    private static readonly Option<string?> Output = new("--output") { Description = "Output folder (default runs/<timestamp>)." };
    private static readonly Option<string> ServerOptimizer = new("--server-optimizer") { Description = "fedavg | fedavgm | fedadam | fedyogi | fedadagrad.", DefaultValueFactory = _ => "fedavg" };
    private static readonly Option<double?> ServerLr = new("--server-lr") { Description = "Server learning rate (default: the optimizer's own)." };
    private static readonly Option<int> MaxParallelism = new("--max-parallelism") { Description = "Clients training at once.", DefaultValueFactory = _ => Environment.ProcessorCount };
    private static readonly Option<int> EvaluateEvery = new("--evaluate-every") { Description = "Evaluate every N rounds (the last round always).", DefaultValueFactory = _ => 1 };
    private static readonly Option<double> FractionEvaluate = new("--fraction-evaluate") { Description = "Fraction of clients for federated evaluation (0 = none).", DefaultValueFactory = _ => 0.0 };
    private static readonly Option<int?> Threads = new("--threads") { Description = "LibTorch threads per training client (default: cores / max-parallelism)." };
    private static readonly Option<string> Compression = new("--compression") { Description = "Uplink codec chain, e.g. ef,topk:0.01,q:8,entropy (none = dense float32).", DefaultValueFactory = _ => "none" };
    private static readonly Option<string> Optimizer = new("--optimizer") { Description = "Client optimizer for TorchSharp models: adam | sgd (momentum 0.9).", DefaultValueFactory = _ => "adam" };
    private static readonly Option<string> Aggregator = new("--aggregator") { Description = "Aggregation rule: " + Robust.Specs.RobustSpecs.AggregatorSyntax + ".", DefaultValueFactory = _ => "fedavg" };
    private static readonly Option<string?> PreAggregator = new("--pre-aggregator") { Description = "Pre-aggregator in front of the rule: " + Robust.Specs.RobustSpecs.PreAggregatorSyntax + "." };
    private static readonly Option<string?> Byzantine = new("--byzantine") { Description = "Byzantine clients and their attack, e.g. 0.2:alie: " + Robust.Specs.RobustSpecs.ByzantineSyntax + "." };
    private static readonly Option<string> Screening = new("--screening") { Description = "Update screening before aggregation: off | flag (record only) | exclude (leave flagged updates out).", DefaultValueFactory = _ => "off" };
    private static readonly Option<bool> Reputation = new("--reputation") { Description = "Stop sampling clients flagged in 3 of the last 10 rounds (needs --screening)." };
    private static readonly Option<string> SecureAggregation = new("--secure-aggregation") { Description = "none | secagg+:<shares>,<threshold> | paillier:<bits> (2048 or 3072); the server sees only the sum of the updates.", DefaultValueFactory = _ => "none" };
    private static readonly Option<string> Dp = new("--dp") { Description = "Differential privacy: none | sample:eps=<e>,delta=<d>,clip=<c> (DP-SGD in every client) | client:noise=<z>,clip=<c> | client-adaptive:noise=<z>,quantile=<q> (client-level DP-FedAvg).", DefaultValueFactory = _ => "none" };
    private static readonly Option<string?> CheckpointDir = new("--checkpoint-dir") { Description = "Save a checkpoint after each round here, and resume from it." };
    private static readonly Option<string?> Tracking = new("--tracking") { Description = "Record the run in MLflow: a folder (file store, e.g. mlruns) or a tracking server URL (http://host:5000)." };

    public static RootCommand Create()
    {
        var root = new RootCommand("Federated learning on Fashion-MNIST, simulated in one process.");
        foreach (Option option in new Option[] { Clients, Rounds, Fraction, LocalEpochs, BatchSize, Lr, LrSchedule, Model, Partition, TrainSubset, Seed, DataDir, Output, ServerOptimizer, ServerLr, MaxParallelism, EvaluateEvery, FractionEvaluate, CheckpointDir, Threads, Compression, Optimizer, SecureAggregation, Dp })
        {
            root.Options.Add(option);
        }

        foreach (Option option in new Option[] { Aggregator, PreAggregator, Byzantine, Screening, Reputation })
        {
            root.Options.Add(option);
        }

        root.Options.Add(Tracking);

        return root;
    }

    /// <summary>Reads and checks the options; throws <see cref="UsageException"/> naming the first bad one.</summary>
    public static SimulationSettings Bind(ParseResult result)
    {
        var settings = new SimulationSettings
        {
            Clients = Positive(result.GetValue(Clients), "--clients"),
            Rounds = Positive(result.GetValue(Rounds), "--rounds"),
            Fraction = result.GetValue(Fraction),
            LocalEpochs = Positive(result.GetValue(LocalEpochs), "--local-epochs"),
            BatchSize = Positive(result.GetValue(BatchSize), "--batch-size"),
            LrSchedule = result.GetValue(LrSchedule)!.Trim().ToLowerInvariant(),
            Model = result.GetValue(Model)!.Trim().ToLowerInvariant(),
            Partition = result.GetValue(Partition)!.Trim(),
            TrainSubset = result.GetValue(TrainSubset),
            Seed = result.GetValue(Seed),
            DataDir = result.GetValue(DataDir),
            Output = result.GetValue(Output) ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)),
            ServerOptimizer = result.GetValue(ServerOptimizer)!.Trim().ToLowerInvariant(),
            ServerLr = result.GetValue(ServerLr),
            MaxParallelism = Positive(result.GetValue(MaxParallelism), "--max-parallelism"),
            EvaluateEvery = Positive(result.GetValue(EvaluateEvery), "--evaluate-every"),
            FractionEvaluate = result.GetValue(FractionEvaluate),
            CheckpointDir = result.GetValue(CheckpointDir),
            Compression = result.GetValue(Compression)!.Trim(),
            Optimizer = result.GetValue(Optimizer)!.Trim().ToLowerInvariant(),
            Aggregator = result.GetValue(Aggregator)!.Trim().ToLowerInvariant(),
            PreAggregator = result.GetValue(PreAggregator)?.Trim().ToLowerInvariant() is { Length: > 0 } pre && pre != "none" ? pre : null,
            Byzantine = result.GetValue(Byzantine)?.Trim().ToLowerInvariant() is { Length: > 0 } byzantine ? byzantine : null,
            Screening = result.GetValue(Screening)!.Trim().ToLowerInvariant(),
            Reputation = result.GetValue(Reputation),

            Tracking = result.GetValue(Tracking),
            SecureAggregation = result.GetValue(SecureAggregation)!.Trim().ToLowerInvariant(),
            Dp = result.GetValue(Dp)!.Trim(),
        };
        int parallelism = settings.MaxParallelism;
        settings = settings with { Threads = Positive(result.GetValue(Threads) ?? Math.Max(1, Environment.ProcessorCount / parallelism), "--threads") };

        if (!Optimizers.Contains(settings.Optimizer))
        {
            throw new UsageException($"--optimizer must be one of {string.Join(", ", Optimizers)}, got '{settings.Optimizer}'.");
        }

        double defaultLr = settings.Model == "softmax" ? 0.05 : settings.Optimizer == "adam" ? 0.001 : 0.02;
        settings = settings with { Lr = result.GetValue(Lr) ?? defaultLr };

        if (!(settings.Fraction > 0 && settings.Fraction <= 1))
        {
            throw new UsageException($"--fraction must be in (0, 1], got {settings.Fraction.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!(settings.FractionEvaluate >= 0 && settings.FractionEvaluate <= 1))
        {
            throw new UsageException($"--fraction-evaluate must be in [0, 1], got {settings.FractionEvaluate.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!(settings.Lr > 0) || double.IsInfinity(settings.Lr))
        {
            throw new UsageException($"--lr must be a positive number, got {settings.Lr.ToString(CultureInfo.InvariantCulture)}.");
        }

        try
        {
            _ = LearningRateScheduleSpec.Parse(settings.LrSchedule);
        }
        catch (FormatException exception)
        {
            throw new UsageException(exception.Message);
        }

        if (settings.ServerLr is { } serverLr && (!(serverLr > 0) || double.IsInfinity(serverLr)))
        {
            throw new UsageException($"--server-lr must be a positive number, got {serverLr.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!Models.Contains(settings.Model))
        {
            throw new UsageException($"--model must be one of {string.Join(", ", Models)}, got '{settings.Model}'.");
        }

        try
        {
            _ = FedLearn.Partitioning.Partitioners.Parse(settings.Partition);
        }
        catch (ArgumentException exception)
        {
            throw new UsageException($"--partition: {exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal)}");
        }

        if (settings.Compression is not ("none" or ""))
        {
            try
            {
                _ = FedLearn.Compression.CompressionPipelineBuilder.Parse(settings.Compression).Build();
            }
            catch (Exception exception) when (exception is ArgumentException or FedLearnFormatException or Microsoft.Extensions.Options.OptionsValidationException)
            {
                string message = exception is Microsoft.Extensions.Options.OptionsValidationException validation ? string.Join("; ", validation.Failures) : exception.Message;
                throw new UsageException($"--compression: {message.ReplaceLineEndings(" ")}");
            }
        }

        SecureAggregationSetup.Validate(settings);
        _ = PrivacySetup.Create(settings);

        if (settings.TrainSubset is <= 0)
        {
            throw new UsageException($"--train-subset must be positive, got {settings.TrainSubset}.");
        }

        RobustSetup.Check(settings);
        return settings;
    }

    private static int Positive(int value, string name) =>
        value > 0 ? value : throw new UsageException($"{name} must be positive, got {value}.");
}
