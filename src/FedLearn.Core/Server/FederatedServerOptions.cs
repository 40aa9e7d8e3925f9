using System.ComponentModel.DataAnnotations;

namespace FedLearn.Server;

/// <summary>Settings of the <see cref="FederatedServer"/> round loop. Validated when the server is built.</summary>
public sealed class FederatedServerOptions : IValidatableObject
{
    /// <summary>Number of rounds to run.</summary>
    /// <value>Default 10.</value>
    [Range(1, 1_000_000)]
    public int Rounds { get; set; } = ServerDefaults.Rounds;

    /// <summary>Fraction of available clients sampled for training each round, in (0, 1].</summary>
    /// <value>Default 1.0.</value>
    [Range(double.Epsilon, 1.0)]
    public double FractionFit { get; set; } = ServerDefaults.FractionFit;

    /// <summary>Least number of clients sampled for training; also the quorum of updates a round needs.</summary>
    /// <value>Default 2.</value>
    [Range(1, int.MaxValue)]
    public int MinFitClients { get; set; } = ServerDefaults.MinFitClients;

    /// <summary>Least number of connected clients before a round starts.</summary>
    /// <value>Default 2.</value>
    [Range(1, int.MaxValue)]
    public int MinAvailableClients { get; set; } = ServerDefaults.MinAvailableClients;

    /// <summary>Fraction of available clients sampled for federated evaluation, in [0, 1]; 0 turns it off.</summary>
    /// <value>Default 0.</value>
    [Range(0.0, 1.0)]
    public double FractionEvaluate { get; set; } = ServerDefaults.FractionEvaluate;

    /// <summary>Least number of evaluation results for a federated evaluation to count.</summary>
    /// <value>Default 1.</value>
    [Range(1, int.MaxValue)]
    public int MinEvaluateClients { get; set; } = ServerDefaults.MinEvaluateClients;

    /// <summary>Evaluate (federated and centralized) every this many rounds; the last round is always evaluated.</summary>
    /// <value>Default 1.</value>
    [Range(1, int.MaxValue)]
    public int EvaluateEvery { get; set; } = ServerDefaults.EvaluateEvery;

    /// <summary>Deadline of each stage of a round (training, evaluation). Clients that have not answered by then count as timed out.</summary>
    /// <value>Default 10 minutes.</value>
    public TimeSpan RoundTimeout { get; set; } = ServerDefaults.RoundTimeout;

    /// <summary>
    /// Once the quorum (<see cref="MinFitClients"/>) has answered, wait at most this long for the others, then close
    /// the stage. <c>null</c> waits for every sampled client until <see cref="RoundTimeout"/> (reproducible, slowest client decides).
    /// </summary>
    /// <value>Default <c>null</c>.</value>
    public TimeSpan? StragglerGracePeriod { get; set; }

    /// <summary>How long a round waits for <see cref="MinAvailableClients"/> to be connected before it fails.</summary>
    /// <value>Default 5 minutes.</value>
    public TimeSpan AvailabilityTimeout { get; set; } = ServerDefaults.AvailabilityTimeout;

    /// <summary>The run seed: client sampling and every client's local randomness derive from it.</summary>
    /// <value>Default 42.</value>
    public ulong Seed { get; set; } = ServerDefaults.Seed;

    /// <summary>Local epochs sent to clients.</summary>
    /// <value>Default 1.</value>
    [Range(1, 10_000)]
    public int LocalEpochs { get; set; } = ServerDefaults.LocalEpochs;

    /// <summary>Local mini-batch size sent to clients.</summary>
    /// <value>Default 32.</value>
    [Range(1, 1_000_000)]
    public int BatchSize { get; set; } = ServerDefaults.BatchSize;

    /// <summary>Client learning rate sent to clients.</summary>
    /// <value>Default 0.01.</value>
    [Range(double.Epsilon, double.MaxValue)]
    public double LearningRate { get; set; } = ServerDefaults.LearningRate;

    /// <summary>How the client learning rate changes over the rounds; <see cref="LearningRateFor"/> gives a round's rate.</summary>
    /// <value>Default <see cref="Server.LearningRateSchedule.Constant"/>.</value>
    public LearningRateSchedule LearningRateSchedule { get; set; } = LearningRateSchedule.Constant;

    /// <summary>FedProx proximal coefficient μ sent to clients; 0 is FedAvg.</summary>
    /// <value>Default 0.</value>
    /// <remarks>Li et al. 2020, "Federated Optimization in Heterogeneous Networks".</remarks>
    [Range(0.0, double.MaxValue)]
    public double ProximalMu { get; set; }

    /// <summary>Folder for checkpoints (weights, optimizer state, round); <c>null</c> saves none.</summary>
    /// <value>Default <c>null</c>.</value>
    public string? CheckpointDirectory { get; set; }

    /// <summary>When true and <see cref="CheckpointDirectory"/> holds a checkpoint, the run continues from it.</summary>
    /// <value>Default true.</value>
    public bool ResumeFromCheckpoint { get; set; } = true;

    /// <summary>
    /// Most distinct client ids the server records per-client training metrics for
    /// (<see cref="Telemetry.FedLearnTelemetry.ClientTrainingLoss"/> and its siblings, tagged <c>client_id</c>): every
    /// id is one more series per instrument in the metrics backend. The first ids seen are recorded for the whole run;
    /// clients beyond the limit are left out of these metrics (logged once) but counted in every round metric. 0 records none.
    /// </summary>
    /// <value>Default 100.</value>
    [Range(0, int.MaxValue)]
    public int PerClientMetricsLimit { get; set; } = ServerDefaults.PerClientMetricsLimit;

    /// <summary>The client learning rate sent in round <paramref name="round"/> (1-based) under <see cref="LearningRateSchedule"/>.</summary>
    /// <param name="round">The round, from 1 to <see cref="Rounds"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="round"/> is outside 1..<see cref="Rounds"/>.</exception>
    public double LearningRateFor(int round)
    {
        if (round < 1 || round > Rounds)
        {
            throw new ArgumentOutOfRangeException(nameof(round), round, $"The round must be between 1 and Rounds ({Rounds}).");
        }

        return LearningRateSchedule switch
        {
            LearningRateSchedule.Cosine => LearningRate * (1 + Math.Cos(Math.PI * (round - 1) / Rounds)) / 2,
            _ => LearningRate,
        };
    }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(LearningRateSchedule))
        {
            yield return new ValidationResult(
                $"LearningRateSchedule ({(int)LearningRateSchedule}) is not a defined schedule; use Constant or Cosine.",
                [nameof(LearningRateSchedule)]);
        }

        if (MinFitClients > MinAvailableClients)
        {
            yield return new ValidationResult(
                $"MinFitClients ({MinFitClients}) must not exceed MinAvailableClients ({MinAvailableClients}).",
                [nameof(MinFitClients), nameof(MinAvailableClients)]);
        }

        if (FractionEvaluate > 0 && MinEvaluateClients > MinAvailableClients)
        {
            yield return new ValidationResult(
                $"MinEvaluateClients ({MinEvaluateClients}) must not exceed MinAvailableClients ({MinAvailableClients}).",
                [nameof(MinEvaluateClients), nameof(MinAvailableClients)]);
        }

        if (RoundTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"RoundTimeout ({RoundTimeout}) must be positive.", [nameof(RoundTimeout)]);
        }

        if (AvailabilityTimeout < TimeSpan.Zero)
        {
            yield return new ValidationResult($"AvailabilityTimeout ({AvailabilityTimeout}) must not be negative.", [nameof(AvailabilityTimeout)]);
        }

        if (StragglerGracePeriod is { } grace && (grace < TimeSpan.Zero || grace > RoundTimeout))
        {
            yield return new ValidationResult(
                $"StragglerGracePeriod ({grace}) must be between zero and RoundTimeout ({RoundTimeout}).",
                [nameof(StragglerGracePeriod)]);
        }
    }
}
