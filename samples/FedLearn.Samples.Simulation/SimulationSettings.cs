namespace FedLearn.Samples.Simulation;

/// <summary>Every option of one simulation run; written as the <c>config</c> of summary.json.</summary>
internal sealed record SimulationSettings
{
    public int Clients { get; init; } = 10;

    public int Rounds { get; init; } = 20;

    public double Fraction { get; init; } = 1.0;

    public int LocalEpochs { get; init; } = 1;

    public int BatchSize { get; init; } = 32;

    public double Lr { get; init; } = 0.001;

    /// <summary>How the client learning rate changes over the rounds: constant or cosine.</summary>
    public string LrSchedule { get; init; } = "constant";

    public string Model { get; init; } = "cnn";

    public string Partition { get; init; } = "iid";

    public int? TrainSubset { get; init; }

    public ulong Seed { get; init; } = 42;

    public string? DataDir { get; init; }

    public string Output { get; init; } = string.Empty;

    public string ServerOptimizer { get; init; } = "fedavg";

    public double? ServerLr { get; init; }

    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    public int EvaluateEvery { get; init; } = 1;

    public double FractionEvaluate { get; init; }

    public string? CheckpointDir { get; init; }

    public int Threads { get; init; } = 1;

    public string Compression { get; init; } = "none";

    public string Optimizer { get; init; } = "adam";

    /// <summary>An MLflow file-store folder or tracking-server URL to record the run in; <c>null</c> records nothing.</summary>
    public string? Tracking { get; init; }

    public string Aggregator { get; init; } = "fedavg";

    public string? PreAggregator { get; init; }

    public string? Byzantine { get; init; }

    public string Screening { get; init; } = "off";

    public bool Reputation { get; init; }
    public string SecureAggregation { get; init; } = "none";

    public string Dp { get; init; } = "none";
}
