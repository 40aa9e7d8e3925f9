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
    private PipelineCheckingTransport? _checking;

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
            FederatedServer server = Build(tracking?.Observer, run);
            var results = new List<RoundResult>();
            for (int round = server.CompletedRounds + 1; round <= _settings.Rounds && !stoppingToken.IsCancellationRequested; round++)
            {
                results.Add(await server.RunRoundAsync(round, run.Token).ConfigureAwait(false));
            }

            completed = server.CompletedRounds >= _settings.Rounds;
            if (_checking?.Mismatch is { } mismatch)
            {
                throw new OperationCanceledException(mismatch);
            }

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
        catch (OperationCanceledException) when (_checking?.Mismatch is { } mismatch && !stoppingToken.IsCancellationRequested)
        {
            // The clients are told in the shutdown notice.
            logger.LogError("The federation stopped before training: a client's settings do not match the server's: {Problem}", mismatch);
            reason = $"the server stopped at start-up: {mismatch}";
            ExitCode = 2;
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

    private FederatedServer Build(IRoundObserver? tracking, CancellationTokenSource run)
    {
        ServerPipelineOptions chosen = ServerPipelineOptions.Read(_settings, out IReadOnlyList<string> problems);
        if (problems.Count > 0)
        {
            // Program checks before the host starts; this guards a host built some other way.
            throw new InvalidOperationException(string.Join(" ", problems));
        }

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
            LearningRateSchedule = Shared.LearningRateScheduleSpec.Parse(_settings.LrSchedule),
            Seed = _settings.Seed,
            RoundTimeout = TimeSpan.FromSeconds(_settings.RoundTimeoutSeconds),
            StragglerGracePeriod = _settings.StragglerGraceSeconds < 0 ? null : TimeSpan.FromSeconds(_settings.StragglerGraceSeconds),
            AvailabilityTimeout = TimeSpan.FromSeconds(_settings.AvailabilityTimeoutSeconds),
            CheckpointDirectory = _settings.CheckpointDir,
            PerClientMetricsLimit = _settings.PerClientMetricsLimit,
        };
        (IAggregator aggregator, IPrivacyReporter? reporter, double delta) = CreateAggregator(chosen.Dp);
        var ledger = new ClientDpSgdLedger();
        IRoundObserver? privacy = null;
        if (reporter is not null)
        {
            privacy = _privacy = new PrivacyRoundObserver(reporter, delta);
        }
        else
        {
            // DP-SGD clients: the server learns their noise when they join, so it reports ε once one has.
            _privacy = new PrivacyRoundObserver(ledger, _settings.Delta);
            privacy = new WhenClientsUseDpSgd(ledger, _privacy);
        }

        (SecureAggregation.ISecureAggregationProtocol? secure, Shared.Pipeline.PipelineOffer offer) = CreateSecureAggregation(chosen);
        _checking = new PipelineCheckingTransport(
            transport,
            offer with { Dp = Shared.PrivacySpec.Mode(chosen.Dp) is "none" && _settings.TargetEpsilon is not null ? "client" : Shared.PrivacySpec.Mode(chosen.Dp) },
            ledger,
            _ => run.Cancel(),
            logger);
        var pipeline = new ServerPipeline
        {
            Aggregator = aggregator,
            SecureAggregation = secure,
            Observers = new IRoundObserver?[] { tracking, privacy }.OfType<IRoundObserver>().ToArray(),
            Optimizer = ServerOptimizers.Parse(_settings.ServerOptimizer, _settings.ServerLr),
            Compressor = _settings.Compression is "none" or "" ? null : Compression.CompressionPipelineBuilder.Parse(_settings.Compression).Build(),
            CentralEvaluator = new TorchCentralEvaluator(model, test),
        };
        var server = new FederatedServer(options, _checking, initial, pipeline, loggers.CreateLogger<FederatedServer>());
        if (options.CheckpointDirectory is { } directory && ServerCheckpoint.Exists(directory))
        {
            server.RestoreCheckpoint(ServerCheckpoint.Load(directory));
        }

        logger.LogInformation("Federation: model {Model} ({Parameters} parameters), {Rounds} rounds, waiting for {Clients} clients on port {Port}; secure aggregation {SecureAggregation}, differential privacy {Dp}", _settings.Model, initial.Length, _settings.Rounds, _settings.Clients, _settings.Port, chosen.SecureAggregation, _settings.TargetEpsilon is null ? Shared.PrivacySpec.Describe(chosen.Dp) : "client-level, target ε " + _settings.TargetEpsilon);
        return server;
    }

    /// <summary>
    /// The secure-aggregation protocol (SecAgg+, or Paillier with the federation's public key; <c>null</c> for none) and
    /// the settings offer that tells the clients what they must match (for Paillier: the key's fingerprint and the
    /// packing parameters); the offer's DP mode is left for the caller.
    /// </summary>
    private (SecureAggregation.ISecureAggregationProtocol? Protocol, Shared.Pipeline.PipelineOffer Offer) CreateSecureAggregation(ServerPipelineOptions chosen)
    {
        var offer = new Shared.Pipeline.PipelineOffer(0, chosen.SecureAggregation.Protocol, "none", _settings.Rounds, _settings.LocalEpochs, _settings.BatchSize);
        switch (chosen.SecureAggregation.Protocol)
        {
            case "secagg+":
                return (new Privacy.SecureAggregation.SecAggPlusServer(chosen.SecureAggregation.SecAggPlusOptions(_settings.Clients, _settings.SecureAggregationMaxWeight), loggers.CreateLogger<Privacy.SecureAggregation.SecAggPlusServer>()), offer);
            case "paillier":
                Privacy.HomomorphicEncryption.PaillierOptions paillier = chosen.SecureAggregation.PaillierOptions(_settings.Clients, _settings.SecureAggregationMaxWeight);
                Privacy.HomomorphicEncryption.PaillierPublicKey key = chosen.PaillierKey ?? throw new InvalidOperationException("FedLearn:Server:PaillierPublicKey was not read.");
                logger.LogInformation("Paillier secure aggregation: {Bits}-bit public key {Fingerprint} from {Path}; the clients must hold its secret key", key.Bits, key.Fingerprint, _settings.PaillierPublicKey);
                return (new Privacy.HomomorphicEncryption.PaillierSecureAggregation(key, paillier), offer with { KeyFingerprint = key.Fingerprint, MaxClients = paillier.MaxClients, MaxWeight = paillier.MaxWeight });
            default:
                return (null, offer);
        }
    }

    /// <summary>
    /// Federated averaging; with <see cref="ServerSettings.Dp"/> <c>client</c> or <c>client-adaptive</c>, wrapped in
    /// client-level DP-FedAvg as the simulation's <c>--dp</c> does (ε at δ = 1e-5); with a
    /// <see cref="ServerSettings.TargetEpsilon"/>, wrapped in server-side clipping and Gaussian noise whose multiplier
    /// spends that ε over all the rounds. The reporter is the decorator, or <c>null</c> without client-level DP.
    /// </summary>
    private (IAggregator Aggregator, IPrivacyReporter? Reporter, double Delta) CreateAggregator(Privacy.Flags.DpFlag dp)
    {
        var averaging = new Aggregation.FederatedAveraging();
        if (Shared.PrivacySpec.IsClientLevel(dp))
        {
            (IAggregator wrapped, IPrivacyReporter? reporter) = Shared.PrivacySpec.WrapAggregator(dp, averaging, _settings.Fraction, _settings.Clients, _settings.Seed);
            return (wrapped, reporter, Shared.PrivacySpec.ClientLevelDelta);
        }

        if (_settings.TargetEpsilon is not double epsilon)
        {
            return (averaging, null, _settings.Delta);
        }

        NoiseCalibrationResult noise = NoiseCalibration.ForSteps(epsilon, _settings.Delta, _settings.Fraction, _settings.Rounds);
        logger.LogInformation("Client-level DP: ε {Epsilon} (δ {Delta}) over {Rounds} rounds at sample rate {SampleRate} needs noise multiplier {NoiseMultiplier}; clipping norm {ClippingNorm}", noise.Epsilon, _settings.Delta, _settings.Rounds, _settings.Fraction, noise.NoiseMultiplier, _settings.ClippingNorm);
        var clipped = new ServerSideFixedClippingAggregator(averaging, new FixedClippingOptions { ClippingNorm = _settings.ClippingNorm, NoiseMultiplier = noise.NoiseMultiplier, SampleRate = _settings.Fraction });
        return (clipped, clipped, _settings.Delta);
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
        Dictionary<int, PrivacyRoundRecord> privacy = _privacy?.Rounds.ToDictionary(p => p.Round) ?? [];
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
            Epsilon = privacy.TryGetValue(r.Round, out PrivacyRoundRecord? p) ? p.Epsilon : (double?)null,
            Delta = privacy.TryGetValue(r.Round, out PrivacyRoundRecord? q) ? q.Delta : (double?)null,
        });
        File.WriteAllText(Path.Combine(_settings.Output, "summary.json"), JsonSerializer.Serialize(new { Rounds = summary, KnownClients = transport.GetKnownClients().Order() }, new JsonSerializerOptions { WriteIndented = true }));
        SafeTensors.WriteFile(server.GlobalWeights, Path.Combine(_settings.Output, "model.safetensors"), new Dictionary<string, string> { ["format"] = "pt" });
    }

    /// <summary>Forwards to the privacy observer once some client has declared DP-SGD, so runs without it report no ε.</summary>
    private sealed class WhenClientsUseDpSgd(ClientDpSgdLedger ledger, PrivacyRoundObserver inner) : IRoundObserver
    {
        public void OnRoundStarted(int round, IReadOnlyList<string> sampled) => inner.OnRoundStarted(round, sampled);

        public void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled) => inner.OnClientFinished(round, clientId, succeeded, finished, sampled);

        public void OnRoundCompleted(RoundResult result)
        {
            if (ledger.Any)
            {
                inner.OnRoundCompleted(result);
            }
        }
    }

    private sealed class TorchCentralEvaluator(nn.Module<Tensor, Tensor> model, DatasetView test) : ICentralEvaluator
    {
        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken) =>
            TorchEvaluation.EvaluateAsync(model, weights, test, cancellationToken: cancellationToken);
    }
}
