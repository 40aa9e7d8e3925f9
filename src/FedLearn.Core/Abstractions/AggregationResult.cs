namespace FedLearn;

/// <summary>What an aggregator reports besides the aggregated vector.</summary>
/// <param name="Scores">A score per client where the rule computes one (for example Krum scores); may be empty.</param>
/// <param name="Excluded">Clients whose update did not contribute, with the reason.</param>
public sealed record AggregationResult(IReadOnlyList<ClientScore> Scores, IReadOnlyList<ClientExclusion> Excluded)
{
    /// <summary>No scores and nobody excluded.</summary>
    public static AggregationResult Empty { get; } = new([], []);
}

/// <summary>A numeric score an aggregator or screener gave one client.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Score">The score; its meaning is the rule's (lower is more trusted for distance-based rules).</param>
public sealed record ClientScore(string ClientId, double Score);

/// <summary>A client whose update was left out, and why.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Reason">Human-readable reason.</param>
public sealed record ClientExclusion(string ClientId, string Reason);
