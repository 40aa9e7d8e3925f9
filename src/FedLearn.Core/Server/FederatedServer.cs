using System.Diagnostics;
using FedLearn.Checkpointing;
using FedLearn.Options;
using FedLearn.Telemetry;
using FedLearn.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedLearn.Server;

/// <summary>
/// The federated round loop: sample clients, send them the global weights, collect updates until the quorum or
/// the deadline, decode and screen them, aggregate, step the server optimizer, evaluate, checkpoint; repeat.
/// It knows only <see cref="IServerTransport"/> and the pipeline's interfaces, so the same loop runs in the
/// in-memory simulation and over the network. No step assumes that a client answers.
/// </summary>
/// <remarks>Not thread-safe: run one <see cref="RunAsync"/> at a time.</remarks>
public sealed partial class FederatedServer
{
    private readonly FederatedServerOptions _options;
    private readonly IServerTransport _transport;
    private readonly ServerPipeline _pipeline;
    private readonly ILogger _logger;
    private readonly Telemetry.ClientTrainingTelemetry _clientTraining;
    private ModelWeights _weights;

    /// <summary>Builds a server; the options are validated now.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message lists every error.</exception>
    public FederatedServer(FederatedServerOptions options, IServerTransport transport, ModelWeights initialWeights, ServerPipeline pipeline, ILogger<FederatedServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(initialWeights);
        ArgumentNullException.ThrowIfNull(pipeline);
        OptionsValidation.ThrowIfInvalid(options, nameof(FederatedServerOptions));
        _options = options;
        _transport = transport;
        _pipeline = pipeline;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _clientTraining = new Telemetry.ClientTrainingTelemetry(options.PerClientMetricsLimit, _logger);
        _weights = initialWeights.Clone();
    }

    /// <summary>The current global weights. Replaced (not modified) after each successful round.</summary>
    public ModelWeights GlobalWeights => _weights;

    /// <summary>The last completed round (0 before the first).</summary>
    public int CompletedRounds { get; private set; }

    /// <summary>The settings in use.</summary>
    public FederatedServerOptions Options => _options;

    /// <summary>
    /// Runs rounds <see cref="CompletedRounds"/> + 1 to <see cref="FederatedServerOptions.Rounds"/>, resuming from
    /// the checkpoint first when one exists and <see cref="FederatedServerOptions.ResumeFromCheckpoint"/> is set.
    /// A failed round leaves the global weights unchanged and the run goes on.
    /// </summary>
    public async Task<FederatedRunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        if (_options.ResumeFromCheckpoint && _options.CheckpointDirectory is { } directory && CompletedRounds == 0 && ServerCheckpoint.Exists(directory))
        {
            RestoreCheckpoint(ServerCheckpoint.Load(directory));
        }

        var started = Stopwatch.StartNew();
        var results = new List<RoundResult>();
        for (int round = CompletedRounds + 1; round <= _options.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(await RunRoundAsync(round, cancellationToken).ConfigureAwait(false));
        }

        return new FederatedRunResult(results, _weights, started.Elapsed);
    }

    /// <summary>Runs one round and, when a checkpoint folder is set, saves a checkpoint after it.</summary>
    public async Task<RoundResult> RunRoundAsync(int round, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(round);
        using Activity? activity = FedLearnTelemetry.ActivitySource.StartActivity("fedlearn.round");
        using IDisposable? scope = _logger.BeginScope(Logging.LogScope.ForRound(round));
        activity?.SetTag("fedlearn.round", round);
        var total = Stopwatch.StartNew();

        RoundResult result = await ExecuteRoundAsync(round, cancellationToken).ConfigureAwait(false);

        TimeSpan checkpointTime = TimeSpan.Zero;
        if (_options.CheckpointDirectory is { } directory)
        {
            var checkpointWatch = Stopwatch.StartNew();
            SaveCheckpoint(directory, round);
            checkpointTime = checkpointWatch.Elapsed;
        }

        CompletedRounds = round;
        result = result with { Timings = result.Timings with { Checkpoint = checkpointTime, Total = total.Elapsed } };
        Record(result, activity);
        foreach (IRoundObserver observer in _pipeline.Observers)
        {
            observer.OnRoundCompleted(result);
        }

        return result;
    }

    /// <summary>Makes the server continue from <paramref name="checkpoint"/>.</summary>
    /// <exception cref="InvalidOperationException">The checkpoint was made with another seed, optimizer or model layout.</exception>
    public void RestoreCheckpoint(ServerCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Seed != _options.Seed)
        {
            throw new InvalidOperationException($"The checkpoint was made with seed {checkpoint.Seed} but this server uses seed {_options.Seed}; resuming would not reproduce the run.");
        }

        if (checkpoint.OptimizerName != _pipeline.Optimizer.Name)
        {
            throw new InvalidOperationException($"The checkpoint was made with server optimizer '{checkpoint.OptimizerName}' but this server uses '{_pipeline.Optimizer.Name}'.");
        }

        try
        {
            _weights.EnsureSameLayout(checkpoint.Weights, nameof(checkpoint));
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"The checkpoint's model does not match this server's model: {exception.Message}", exception);
        }

        _pipeline.Optimizer.ImportState(checkpoint.OptimizerState);
        _weights = checkpoint.Weights;
        CompletedRounds = checkpoint.Round;
        _logger.LogInformation("Resumed from checkpoint after round {Round}", checkpoint.Round);
    }

    private void SaveCheckpoint(string directory, int round) =>
        new ServerCheckpoint
        {
            Round = round,
            Seed = _options.Seed,
            Weights = _weights,
            OptimizerName = _pipeline.Optimizer.Name,
            OptimizerState = _pipeline.Optimizer.ExportState(),
        }.Save(directory);

    private void Record(RoundResult result, Activity? activity)
    {
        var outcome = new KeyValuePair<string, object?>("fedlearn.outcome", result.Succeeded ? "succeeded" : "failed");
        FedLearnTelemetry.Rounds.Add(1, outcome);
        FedLearnTelemetry.RoundDuration.Record(result.Timings.Total.TotalSeconds, outcome);
        FedLearnTelemetry.ClientsSampled.Add(result.Sampled.Count);
        FedLearnTelemetry.ClientsResponded.Add(result.Aggregated.Count);
        foreach (IGrouping<ClientFailureKind, ClientFailure> group in result.Failures.GroupBy(f => f.Kind))
        {
            FedLearnTelemetry.ClientsFailed.Add(group.Count(), new KeyValuePair<string, object?>("fedlearn.failure", group.Key.ToString().ToLowerInvariant()));
        }

        FedLearnTelemetry.BytesSent.Add(result.BytesDown);
        FedLearnTelemetry.BytesReceived.Add(result.BytesUp);
        if (result.BytesUp > 0)
        {
            FedLearnTelemetry.BytesSaved.Add(Math.Max(0, result.DenseBytesUp - result.BytesUp));
            FedLearnTelemetry.CompressionRatio.Record((double)result.DenseBytesUp / result.BytesUp);
        }
        RecordModelAndScreening(result);
        activity?.SetTag("fedlearn.outcome", result.Succeeded ? "succeeded" : "failed");
        activity?.SetTag("fedlearn.clients.sampled", result.Sampled.Count);
        activity?.SetTag("fedlearn.clients.aggregated", result.Aggregated.Count);
        if (!result.Succeeded)
        {
            activity?.SetStatus(ActivityStatusCode.Error, result.FailureReason);
            _logger.LogWarning("Round {Round} failed: {Reason}", result.Round, result.FailureReason);
        }
        else
        {
            _logger.LogInformation(
                "Round {Round}: {Aggregated}/{Sampled} clients aggregated, {Failed} failed, train loss {Loss:F4}, central accuracy {Accuracy:F4}, {Seconds:F2} s",
                result.Round,
                result.Aggregated.Count,
                result.Sampled.Count,
                result.Failures.Count,
                result.Training?.Loss,
                result.CentralEvaluation?.Accuracy,
                result.Timings.Total.TotalSeconds);
        }

        foreach (ClientFailure failure in result.Failures)
        {
            using IDisposable? clientScope = _logger.BeginScope(Logging.LogScope.ForClient(failure.ClientId, result.Round));
            _logger.LogWarning("Round {Round}: client {ClientId} {Kind}: {Message}", result.Round, failure.ClientId, failure.Kind, failure.Message);
        }
    }
}
