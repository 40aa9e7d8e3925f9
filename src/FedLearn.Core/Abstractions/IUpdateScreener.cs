namespace FedLearn;

/// <summary>
/// Inspects the decoded updates of a round before aggregation and flags suspicious clients (non-finite values,
/// outlying norms, ...). Flagged clients are excluded from aggregation when the flag says so.
/// </summary>
public interface IUpdateScreener
{
    /// <summary>Screens one round's updates. Must not modify them.</summary>
    IReadOnlyList<ClientFlag> Screen(int round, IReadOnlyList<WeightedUpdate> updates);
}

/// <summary>A client flagged by screening.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Score">The score that triggered the flag.</param>
/// <param name="Reason">Which check fired.</param>
/// <param name="Exclude">True when the update must be left out of aggregation.</param>
public sealed record ClientFlag(string ClientId, double Score, string Reason, bool Exclude)
{
    /// <summary>
    /// True when the check proves the update faulty rather than suspicious (non-finite values), so that an excluded
    /// update counts against the Byzantine clients a robust aggregator tolerates (<see cref="AggregationContext.RemovedFaulty"/>).
    /// Statistical flags (outlying norm or direction) can hit honest clients and leave it false.
    /// </summary>
    /// <value>false.</value>
    public bool CertainlyFaulty { get; init; }
}
