namespace FedLearn;

/// <summary>
/// Combines the clients' deltas of one round into one delta. Implementations are pure math: no I/O, no sampling,
/// no logging; the result must not depend on the order of <c>updates</c> beyond float rounding, and where a rule
/// sums, it sums in the given order so that a fixed order gives bit-identical results.
/// </summary>
public interface IAggregator
{
    /// <summary>Short name for logs and results (for example <c>fedavg</c>, <c>multikrum:2</c>).</summary>
    string Name { get; }

    /// <summary>Aggregates <paramref name="updates"/> into <paramref name="destination"/>.</summary>
    /// <param name="updates">At least one update; every vector has the destination's length.</param>
    /// <param name="destination">Receives the aggregated delta; it is fully overwritten.</param>
    /// <returns>Per-client scores and the clients the rule left out, with reasons.</returns>
    AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination);

    /// <summary>
    /// Aggregates <paramref name="updates"/> knowing what the server removed before aggregation. Rules that tolerate a
    /// configured number f of Byzantine clients count the certainly faulty replies already removed against f (see
    /// <see cref="AggregationContext.RemainingByzantine"/>); decorators pass the context on. The default ignores it.
    /// </summary>
    /// <param name="updates">At least one update; every vector has the destination's length.</param>
    /// <param name="destination">Receives the aggregated delta; it is fully overwritten.</param>
    /// <param name="context">What the server removed before aggregation.</param>
    /// <returns>Per-client scores and the clients the rule left out, with reasons.</returns>
    AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context) =>
        Aggregate(updates, destination);
}
