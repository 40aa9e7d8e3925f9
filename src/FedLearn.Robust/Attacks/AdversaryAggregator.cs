using FedLearn.Aggregation;

namespace FedLearn.Robust.Attacks;

/// <summary>Aggregates the updates that survived screening with the Byzantine ones replaced by what the attackers sent.</summary>
internal sealed class AdversaryAggregator(SimulatedAdversary adversary, IAggregator inner) : DelegatingAggregator(inner)
{
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(context);
        return Inner.Aggregate(adversary.Substitute(updates), destination, context);
    }
}
