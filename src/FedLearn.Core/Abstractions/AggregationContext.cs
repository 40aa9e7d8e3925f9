namespace FedLearn;

/// <summary>
/// What the server knows about a round's updates beyond the updates themselves, passed to
/// <see cref="IAggregator.Aggregate(IReadOnlyList{WeightedUpdate}, Span{float}, AggregationContext)"/>.
/// </summary>
public sealed record AggregationContext
{
    /// <summary>No replies were removed as faulty.</summary>
    public static AggregationContext None { get; } = new();

    /// <summary>
    /// How many of the round's replies were removed before aggregation because they were certainly faulty: rejected by
    /// the server (undecodable, wrong length, wrong round, non-finite values, ...) or excluded by screening with
    /// <see cref="ClientFlag.CertainlyFaulty"/>. A rule configured to tolerate f Byzantine clients among the sampled
    /// ones then needs to tolerate only max(0, f − <see cref="RemovedFaulty"/>) among the updates it receives.
    /// </summary>
    /// <value>0.</value>
    public int RemovedFaulty
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            field = value;
        }
    }

    /// <summary>The number of Byzantine updates a rule configured for <paramref name="configured"/> must still tolerate.</summary>
    /// <param name="configured">The f the rule was built with; at least 0.</param>
    /// <returns>max(0, <paramref name="configured"/> − <see cref="RemovedFaulty"/>).</returns>
    public int RemainingByzantine(int configured) => Math.Max(0, configured - RemovedFaulty);
}
