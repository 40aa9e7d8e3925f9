namespace FedLearn.Server;

/// <summary>Default values of <see cref="FederatedServerOptions"/>, in one place.</summary>
public static class ServerDefaults
{
    /// <summary>Default number of rounds.</summary>
    public const int Rounds = 10;

    /// <summary>Default fraction of available clients sampled for training.</summary>
    public const double FractionFit = 1.0;

    /// <summary>Default minimum number of clients sampled for training (and the quorum).</summary>
    public const int MinFitClients = 2;

    /// <summary>Default minimum number of connected clients before a round starts.</summary>
    public const int MinAvailableClients = 2;

    /// <summary>Default fraction of available clients sampled for federated evaluation (0 = none).</summary>
    public const double FractionEvaluate = 0.0;

    /// <summary>Default minimum number of evaluation results.</summary>
    public const int MinEvaluateClients = 1;

    /// <summary>Default interval, in rounds, between evaluations.</summary>
    public const int EvaluateEvery = 1;

    /// <summary>Default deadline of one stage of a round.</summary>
    public static readonly TimeSpan RoundTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Default time to wait for <see cref="MinAvailableClients"/> to connect.</summary>
    public static readonly TimeSpan AvailabilityTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Default run seed.</summary>
    public const ulong Seed = 42;

    /// <summary>Default local epochs.</summary>
    public const int LocalEpochs = 1;

    /// <summary>Default local batch size.</summary>
    public const int BatchSize = 32;

    /// <summary>Default client learning rate.</summary>
    public const double LearningRate = 0.01;

    /// <summary>Default cap on the distinct client ids the server records per-client training metrics for.</summary>
    public const int PerClientMetricsLimit = 100;
}
