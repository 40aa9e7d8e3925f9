using System.Diagnostics;
using FedLearn.Data;
using FedLearn.Optimizers;
using FedLearn.Samples.Simulation.Reporting;
using FedLearn.Server;
using FedLearn.Simulation;

namespace FedLearn.Samples.Simulation;

/// <summary>Assembles data, model, server and clients from the settings, runs the federation and writes the results.</summary>
internal static class SimulationRunner
{
    public static async Task<int> RunAsync(SimulationSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        FederatedDataLoader data = LoadData(settings);
        IServerOptimizer optimizer = Parse("--server-optimizer", () => ServerOptimizers.Parse(settings.ServerOptimizer, settings.ServerLr));
        ICompressor? compressor = settings.Compression is "none" or ""
            ? null
            : Parse("--compression", () => Compression.CompressionPipelineBuilder.Parse(settings.Compression).Build());
        RobustSetup robust = RobustSetup.Create(settings);
        ModelSetup model = ModelSetup.Create(settings, data, robust.TrainingView);
        SecureAggregationSetup? secure = SecureAggregationSetup.Create(settings, data);
        PrivacySetup privacy = PrivacySetup.Create(settings);

        output.WriteLine($"FedLearn simulation: {settings.Clients} clients ({data.PartitionerName}), {settings.Rounds} rounds, model {settings.Model} ({model.InitialWeights.Length:N0} parameters) on {model.Device}, server optimizer {optimizer.Name}, uplink {compressor?.Name ?? "dense"}{(secure is null ? string.Empty : $", secure aggregation {secure.Server.Name}")}, {Enumerable.Range(0, data.ClientCount).Sum(i => data.GetClient(i).Train.Count):N0} training images (80% of each client's share; the rest is its local test set)");
        await using TrackingSetup? tracking = await TrackingSetup.StartAsync(settings, cancellationToken).ConfigureAwait(false);
        if (robust.IsConfigured)
        {
            output.WriteLine($"robustness: {robust.Describe()}");
        }

        if (privacy.Enabled)
        {
            output.WriteLine($"Differential privacy: {privacy.Describe()}");
        }

        var progress = new ConsoleProgress(output, settings.Rounds);
        var memory = new MemoryProbe();
        var serverOptions = new FederatedServerOptions
        {
            Rounds = settings.Rounds,
            FractionFit = settings.Fraction,
            MinFitClients = Math.Min(2, settings.Clients),
            MinAvailableClients = settings.Clients,
            FractionEvaluate = settings.FractionEvaluate,
            EvaluateEvery = settings.EvaluateEvery,
            LocalEpochs = settings.LocalEpochs,
            BatchSize = settings.BatchSize,
            LearningRate = settings.Lr,
            LearningRateSchedule = LearningRateScheduleSpec.Parse(settings.LrSchedule),
            Seed = settings.Seed,
            RoundTimeout = TimeSpan.FromHours(6),
            AvailabilityTimeout = TimeSpan.Zero,
            CheckpointDirectory = settings.CheckpointDir,
        };
        var pipeline = new ServerPipeline
        {
            Aggregator = new Aggregation.FederatedAveraging(),
            Optimizer = optimizer,
            CentralEvaluator = model.CentralEvaluator,
            Compressor = compressor,
            SecureAggregation = secure?.Server,
            Observers = tracking is null ? [progress, memory] : [progress, memory, tracking.Observer],
        };
        pipeline = robust.Apply(pipeline, rule => privacy.WrapAggregator(rule, settings));
        if (privacy.CreateObserver() is { } privacyObserver)
        {
            pipeline = pipeline with { Observers = [.. pipeline.Observers, privacyObserver] };
        }

        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = settings.Clients, MaxParallelism = settings.MaxParallelism },
            serverOptions,
            model.InitialWeights,
            pipeline,
            privacy.TrainerFactory(settings, data, model.CreateTrainer),
            secure is not null ? secure.ClientPipeline : compressor is null ? null : _ => new Client.ClientPipeline { Compressor = compressor });
        robust.Verify(simulation.ClientIds);

        FederatedRunResult run = await progress.RunAsync(() => simulation.RunAsync(cancellationToken)).ConfigureAwait(false);
        wall.Stop();

        Directory.CreateDirectory(settings.Output);
        SimulationSummary summary = privacy.Annotate(SimulationSummary.From(settings, run, model.InitialWeights.Length, wall.Elapsed, memory, robust.ByzantineAmong));
        SummaryWriter.Write(summary, settings.Output);
        SafeTensors.WriteFile(run.FinalWeights, Path.Combine(settings.Output, "model.safetensors"), new Dictionary<string, string> { ["format"] = "pt" });
        AccuracyPlot.Write(summary, Path.Combine(settings.Output, "accuracy.png"));
        SummaryTable.Write(summary, settings.Output, output);
        bool failed = run.Rounds.Count > 0 && run.Rounds.All(r => !r.Succeeded);
        if (tracking is not null)
        {
            await tracking.FinishAsync(settings.Output, run.Rounds.Count, !failed, cancellationToken).ConfigureAwait(false);
            output.WriteLine($"Tracked in {settings.Tracking}: {tracking.Description}");
        }

        return failed ? 1 : 0;
    }

    private static FederatedDataLoader LoadData(SimulationSettings settings)
    {
        var options = new FederatedDataOptions
        {
            DataDirectory = settings.DataDir,
            Partition = settings.Partition,
            ClientCount = settings.Clients,
            Seed = settings.Seed,
            TrainSubset = settings.TrainSubset,
        };
        return Parse("--partition", () => FederatedDataLoader.GetOrCreate(options));
    }

    private static T Parse<T>(string option, Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException exception)
        {
            string message = exception.ParamName is null ? exception.Message : exception.Message.Replace($" (Parameter '{exception.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw new UsageException($"{option}: {message.ReplaceLineEndings(" ")}");
        }
        catch (FedLearnFormatException exception)
        {
            throw new UsageException($"{option}: {exception.Message.ReplaceLineEndings(" ")}");
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException exception)
        {
            throw new UsageException($"{option}: {string.Join("; ", exception.Failures)}");
        }
    }
}
