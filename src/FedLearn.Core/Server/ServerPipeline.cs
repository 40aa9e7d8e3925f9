namespace FedLearn.Server;

/// <summary>The components the server loop plugs together. The aggregator and the optimizer are required; the rest is optional.</summary>
public sealed record ServerPipeline
{
    /// <summary>Combines the round's updates.</summary>
    public required IAggregator Aggregator { get; init; }

    /// <summary>Applies the aggregated delta to the global weights.</summary>
    public required IServerOptimizer Optimizer { get; init; }

    /// <summary>Decodes encoded updates; <c>null</c> when clients send dense deltas.</summary>
    public ICompressor? Compressor { get; init; }

    /// <summary>Screens updates before aggregation; <c>null</c> for none.</summary>
    public IUpdateScreener? Screener { get; init; }

    /// <summary>Centralized evaluation; <c>null</c> for none.</summary>
    public ICentralEvaluator? CentralEvaluator { get; init; }

    /// <summary>Filters which clients may be sampled; <c>null</c> lets every connected client be sampled.</summary>
    public IClientEligibility? Eligibility { get; init; }

    /// <summary>
    /// Secure aggregation: when set, the server sees only the mean of the updates, through this protocol's stages;
    /// <see cref="Compressor"/>, <see cref="Screener"/> and <see cref="Aggregator"/> are then not applied to the updates.
    /// <c>null</c> for plain updates.
    /// </summary>
    public SecureAggregation.ISecureAggregationProtocol? SecureAggregation { get; init; }

    /// <summary>Progress observers.</summary>
    public IReadOnlyList<IRoundObserver> Observers { get; init; } = [];
}
