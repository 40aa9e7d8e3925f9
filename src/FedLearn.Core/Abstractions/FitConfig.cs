namespace FedLearn;

/// <summary>The instructions for one client's local training in one round, sent by the server.</summary>
public sealed record FitConfig
{
    /// <summary>The round (1-based).</summary>
    public required int Round { get; init; }

    /// <summary>Passes over the local data.</summary>
    /// <value>Default 1.</value>
    public int LocalEpochs { get; init; } = 1;

    /// <summary>Mini-batch size.</summary>
    /// <value>Default 32.</value>
    public int BatchSize { get; init; } = 32;

    /// <summary>Client learning rate.</summary>
    /// <value>Default 0.01.</value>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>FedProx proximal coefficient μ; 0 is plain FedAvg local training.</summary>
    /// <value>Default 0.</value>
    /// <remarks>Li et al. 2020, "Federated Optimization in Heterogeneous Networks".</remarks>
    public double ProximalMu { get; init; }

    /// <summary>Seed for this client in this round (shuffling, dropout, noise), derived by the server.</summary>
    public ulong Seed { get; init; }
}
