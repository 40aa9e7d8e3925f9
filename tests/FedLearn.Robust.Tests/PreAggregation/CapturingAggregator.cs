namespace FedLearn.Robust.Tests.PreAggregation;

/// <summary>Records what a pre-aggregator passes on (copies, since pooled buffers are returned, and the context), then averages it.</summary>
internal sealed class CapturingAggregator : IAggregator
{
    public Dictionary<string, float[]> Seen { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, double> Weights { get; } = new(StringComparer.Ordinal);

    public AggregationContext? Context { get; private set; }

    public int Calls { get; private set; }

    public string Name => "capture";

    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination) =>
        Aggregate(updates, destination, AggregationContext.None);

    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        Calls++;
        Context = context;
        Seen.Clear();
        foreach (WeightedUpdate update in updates)
        {
            Seen[update.ClientId] = update.Values.ToArray();
            Weights[update.ClientId] = update.Weight;
        }

        FedLearn.Aggregation.FederatedAveraging.Average(updates, destination);
        return new AggregationResult(updates.Select(u => new ClientScore(u.ClientId, u.Weight)).ToArray(), [new ClientExclusion(updates[0].ClientId, "first")]);
    }
}
