using System.Text.Json;
using FedLearn.Checkpointing;
using FedLearn.Data;
using FedLearn.Optimizers;
using FedLearn.Privacy;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Server;
using FedLearn.Torch;
using FedLearn.Tracking;
using FedLearn.Transport.Grpc.Server;
using Microsoft.Extensions.Options;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Samples.Server;

/// <summary>
/// Runs the federation once the host has started: waits for the clients, runs the rounds, writes the summary, tells
/// the clients the federation is over and stops the host. On SIGTERM the running round gets
/// <see cref="ServerSettings.ShutdownGraceSeconds"/> to finish (its checkpoint is then written), else it is
/// cancelled and the last checkpoint stands; the clients are told either way.
/// </summary>
internal sealed class FederationRunner(
    IOptions<ServerSettings> settingsOptions,
    GrpcServerTransport transport,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers,
    ILogger<FederationRunner> logger) : BackgroundService
{
    private readonly ServerSettings _settings = settingsOptions.Value;
    private PrivacyRoundObserver? _privacy;

    public static int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var run = new CancellationTokenSource();
        await using CancellationTokenRegistration onStop = stoppingToken.Register(() =>
        {
            logger.LogInformation("Stop requested: the running round has {Grace} s to finish", _settings.ShutdownGraceSeconds);
            run.CancelAfter(TimeSpan.FromSeconds(_settings.ShutdownGraceSeconds));
        });

        string reason = "the federation finished its rounds";
        bool completed = false;
        (IExperimentRun Run, TrackingRoundObserver Observer)? tracking = null;
        try
        {
            await Task.Yield();
            tracking = await StartTrackingAsync(stoppingToken).ConfigureAwait(false);
            FederatedServer server = Build(tracking?.Observer);
            var results = new List<RoundResult>();
            for (int round = server.CompletedRounds + 1; round <= _settings.Rounds && !stoppingToken.IsCancellationRequested; round++)
            {
                results.Add(await server.RunRoundAsync(round, run.Token).ConfigureAwait(false));
            }

            completed = server.CompletedRounds >= _settings.Rounds;
            if (!completed)
            {
                reason = $"the server stopped after round {server.CompletedRounds} of {_settings.Rounds}";
            }

            WriteSummary(server, results);
            ExitCode = results.Count > 0 && results.All(r => !r.Succeeded) ? 1 : 0;
            if (tracking is { } open)
            {
                await FinishTrackingAsync(open.Run, open.Observer, ExitCode == 0, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            reason = "the server stopped; the round in progress was cancelled and the last checkpoint stands";
            logger.LogWarning("Round cancelled by shutdown");
        }
        catch (Exception exception)
        {
            logger.LogError(exception, "The federation failed");
            reason = $"the server failed: {exception.Message}";
            ExitCode = 1;
        }
        finally
        {
            if (tracking is { } open)
            {
                await open.Run.DisposeAsync().ConfigureAwait(false);
            }

            using var notice = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await transport.ShutdownAsync(reason, completed, notice.Token).ConfigureAwait(false);
            lifetime.StopApplication();
        }
    }

    private FederatedServer Build(IRoundObserver? tracking)
    {
        TorchRuntime.SetThreadCount(_settings.Threads ?? Environment.ProcessorCount);
        nn.Module<Tensor, Tensor> model = TorchModels.Create(_settings.Model, _settings.Seed);
        ModelWeights initial = model.GetWeights();
        DatasetView test = FashionMnist.Load(_settings.DataDir, FashionMnistSplit.Test).All();
        var options = new FederatedServerOptions
        {
            Rounds = _settings.Rounds,
            FractionFit = _settings.Fraction,
            MinFitClients = _settings.MinClients,
            MinAvailableClients = _settings.Clients,
            FractionEvaluate = _settings.FractionEvaluate,
            EvaluateEvery = _settings.EvaluateEvery,
            LocalEpochs = _settings.LocalEpochs,
            BatchSize = _settings.BatchSize,
            LearningRate = _settings.Lr ?? (_settings.Optimizer == "adam" ? 0.001 : 0.02),
            Seed = _settings.Seed,
            RoundTimeout = TimeSpan.FromSeconds(_settings.RoundTimeoutSeconds),
            StragglerGracePeriod = _settings.StragglerGraceSeconds < 0 ? null : TimeSpan.FromSeconds(_settings.StragglerGraceSeconds),
            AvailabilityTimeout = TimeSpan.FromSeconds(_settings.AvailabilityTimeoutSeconds),
            CheckpointDirectory = _settings.CheckpointDir,
            PerClientMetricsLimit = _settings.PerClientMetricsLimit,
        };
        IAggregator aggregator = CreateAggregator();
        var pipeline = new ServerPipeline
        {
            Aggregator = aggregator,
            Observers = new IRoundObserver?[] { tracking, _privacy = aggregator is IPrivacyReporter reporter ? new PrivacyRoundObserver(reporter, _settings.Delta) : null }.OfType<IRoundObserver>().ToArray(),
            Optimizer = ServerOptimizers.Parse(_settings.ServerOptimizer, _settings.ServerLr),
            Compressor = _settings.Compression is "none" or "" ? null : Compression.CompressionPipelineBuilder.Parse(_settings.Compression).Build(),
            CentralEvaluator = new TorchCentralEvaluator(model, test),
        };
        var server = new FederatedServer(options, transport, initial, pipeline, loggers.CreateLogger<FederatedServer>());
        if (options.CheckpointDirectory is { } directory && ServerCheckpoint.Exists(directory))
        {
            server.RestoreCheckpoint(ServerCheckpoint.Load(directory));
        }

        logger.LogInformation("Federation: model {Model} ({Parameters} parameters), {Rounds} rounds, waiting for {Clients} clients on port {Port}", _settings.Model, initial.Length, _settings.Rounds, _settings.Clients, _settings.Port);
        return server;
    }

    /// <summary>
    /// Federated averaging; with a <see cref="ServerSettings.TargetEpsilon"/>, wrapped in client-level differential
    /// privacy (server-side clipping, Gaussian noise) whose noise multiplier spends that ε over all the rounds.
    /// </summary>
    private IAggregator CreateAggregator()
    {
        var averaging = new Aggregation.FederatedAveraging();
        if (_settings.TargetEpsilon is not double epsilon)
        {
            return averaging;
        }

        NoiseCalibrationResult noise = NoiseCalibration.ForSteps(epsilon, _settings.Delta, _settings.Fraction, _settings.Rounds);
        logger.LogInformation("Client-level DP: ε {Epsilon} (δ {Delta}) over {Rounds} rounds at sample rate {SampleRate} needs noise multiplier {NoiseMultiplier}; clipping norm {ClippingNorm}", noise.Epsilon, _settings.Delta, _settings.Rounds, _settings.Fraction, noise.NoiseMultiplier, _settings.ClippingNorm);
        return new ServerSideFixedClippingAggregator(averaging, new FixedClippingOptions { ClippingNorm = _settings.ClippingNorm, NoiseMultiplier = noise.NoiseMultiplier, SampleRate = _settings.Fraction });
    }

    /// <summary>Opens the MLflow run and logs the settings, when <see cref="ServerSettings.Tracking"/> names a store.</summary>
    private async Task<(IExperimentRun Run, TrackingRoundObserver Observer)?> StartTrackingAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(_settings.Tracking))
        {
            return null;
        }

        IExperimentRun run = await ExperimentTrackers.Open(_settings.Tracking).StartRunAsync("fedlearn-server", cancellationToken: cancellationToken).ConfigureAwait(false);
        var parameters = typeof(ServerSettings).GetProperties()
            .Select(p => (p.Name, Value: p.GetValue(_settings)))
            .Where(p => p.Value is not null)
            .Select(p => new KeyValuePair<string, string>(JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name), Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
        await run.LogParametersAsync(parameters, cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Tracking the federation in {Store}, run {RunId}", _settings.Tracking, run.RunId);
        return (run, new TrackingRoundObserver(run));
    }

    /// <summary>Logs ε per round (under client-level DP) and the final model, and closes the run.</summary>
    private async Task FinishTrackingAsync(IExperimentRun run, TrackingRoundObserver observer, bool succeeded, CancellationToken cancellationToken)
    {
        await observer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        if (_privacy is { } privacy)
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            await run.LogMetricsAsync(privacy.Rounds.Select(r => new MetricPoint("epsilon", r.Epsilon, r.Round, now)), cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrWhiteSpace(_settings.Output) && File.Exists(Path.Combine(_settings.Output, "model.safetensors")))
        {
            await run.LogArtifactAsync(Path.Combine(_settings.Output, "model.safetensors"), "model", cancellationToken).ConfigureAwait(false);
            await run.LogArtifactAsync(Path.Combine(_settings.Output, "summary.json"), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        await run.EndAsync(succeeded ? RunStatus.Finished : RunStatus.Failed, cancellationToken).ConfigureAwait(false);
    }

    private void WriteSummary(FederatedServer server, List<RoundResult> results)
    {
        if (string.IsNullOrWhiteSpace(_settings.Output))
        {
            return;
        }

        Directory.CreateDirectory(_settings.Output);
        var summary = results.Select(r => new
        {
            r.Round,
            r.Succeeded,
            r.FailureReason,
            r.Sampled,
            r.Aggregated,
            Failures = r.Failures.Select(f => new { f.ClientId, Kind = f.Kind.ToString(), f.Message }),
            TrainLoss = r.Training?.Loss,
            CentralAccuracy = r.CentralEvaluation?.Accuracy,
            CentralLoss = r.CentralEvaluation?.Loss,
            Seconds = r.Timings.Total.TotalSeconds,
        });
        File.WriteAllText(Path.Combine(_settings.Output, "summary.json"), JsonSerializer.Serialize(new { Rounds = summary, KnownClients = transport.GetKnownClients().Order() }, new JsonSerializerOptions { WriteIndented = true }));
        SafeTensors.WriteFile(server.GlobalWeights, Path.Combine(_settings.Output, "model.safetensors"), new Dictionary<string, string> { ["format"] = "pt" });
    }

    private sealed class TorchCentralEvaluator(nn.Module<Tensor, Tensor> model, DatasetView test) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) =>
            TorchEvaluation.EvaluateAsync(model, weights, test, cancellationToken: cancellationToken);
    }
}
