namespace FedLearn.Server;

/// <summary>
/// Everything a round did, as data: who was sampled, who answered, who failed and why, who was flagged or
/// excluded, the metrics, the traffic and the time spent in each stage.
/// </summary>
public sealed record RoundResult
{
    /// <summary>The round (1-based).</summary>
    public required int Round { get; init; }

    /// <summary>True when the global model was updated.</summary>
    public required bool Succeeded { get; init; }

    /// <summary>Why the round failed; <c>null</c> when it succeeded.</summary>
    public string? FailureReason { get; init; }

    /// <summary>Clients sampled for training, in aggregation order.</summary>
    public IReadOnlyList<string> Sampled { get; init; } = [];

    /// <summary>Clients whose update was aggregated.</summary>
    public IReadOnlyList<string> Aggregated { get; init; } = [];

    /// <summary>Sampled clients that contributed nothing to training, with the reason.</summary>
    public IReadOnlyList<ClientFailure> Failures { get; init; } = [];

    /// <summary>Clients flagged by screening.</summary>
    public IReadOnlyList<ClientFlag> Flagged { get; init; } = [];

    /// <summary>Clients whose valid update was left out by screening or by the aggregator.</summary>
    public IReadOnlyList<ClientExclusion> Excluded { get; init; } = [];

    /// <summary>Per-client scores from the aggregator.</summary>
    public IReadOnlyList<ClientScore> Scores { get; init; } = [];

    /// <summary>Example-weighted mean of the clients' training metrics; <c>null</c> when nobody trained.</summary>
    public EvaluationMetrics? Training { get; init; }

    /// <summary>Example-weighted federated evaluation; <c>null</c> when not run this round.</summary>
    public EvaluationMetrics? FederatedEvaluation { get; init; }

    /// <summary>Failures of the federated evaluation stage.</summary>
    public IReadOnlyList<ClientFailure> EvaluationFailures { get; init; } = [];

    /// <summary>Centralized evaluation on the server's test data; <c>null</c> when not run this round.</summary>
    public EvaluationMetrics? CentralEvaluation { get; init; }

    /// <summary>Bytes of the instructions sent to clients.</summary>
    public long BytesDown { get; init; }

    /// <summary>Bytes of the updates received (headers included), as sent on the wire.</summary>
    public long BytesUp { get; init; }

    /// <summary>What the received updates would have taken as dense float32 vectors.</summary>
    public long DenseBytesUp { get; init; }

    /// <summary>Wall time per stage.</summary>
    public RoundTimings Timings { get; init; } = new();
}

/// <summary>Wall time of each stage of a round.</summary>
public sealed record RoundTimings
{
    /// <summary>The whole round.</summary>
    public TimeSpan Total { get; init; }

    /// <summary>Waiting for enough connected clients.</summary>
    public TimeSpan WaitForClients { get; init; }

    /// <summary>The training exchange: from sending instructions to the stage closing.</summary>
    public TimeSpan Fit { get; init; }

    /// <summary>Longest single client's own local training time, as reported by the clients.</summary>
    public TimeSpan SlowestClientTraining { get; init; }

    /// <summary>Sum of the clients' own local training times, as reported by the clients.</summary>
    public TimeSpan TotalClientTraining { get; init; }

    /// <summary>Decoding, validating and screening updates.</summary>
    public TimeSpan Decode { get; init; }

    /// <summary>Aggregation and the server optimizer step.</summary>
    public TimeSpan Aggregate { get; init; }

    /// <summary>Federated and centralized evaluation.</summary>
    public TimeSpan Evaluate { get; init; }

    /// <summary>Writing the checkpoint.</summary>
    public TimeSpan Checkpoint { get; init; }
}
