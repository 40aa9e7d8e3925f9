namespace FedLearn.Aggregation;

/// <summary>
/// Base for aggregators that add behaviour around another one (differential-privacy noise, clipping, telemetry,
/// logging) without inheriting from a concrete rule. By default every member forwards to <see cref="Inner"/>;
/// a decorator overrides what it changes and calls the inner aggregator for the rest.
/// </summary>
/// <remarks>Thread-safe when the inner aggregator and the overriding members are.</remarks>
public abstract class DelegatingAggregator : IAggregator
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    protected DelegatingAggregator(IAggregator inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        Inner = inner;
    }

    /// <summary>The wrapped aggregator.</summary>
    protected IAggregator Inner { get; }

    /// <inheritdoc />
    /// <remarks>The inner aggregator's name unless overridden.</remarks>
    public virtual string Name => Inner.Name;

    /// <inheritdoc />
    /// <remarks>
    /// Calls <see cref="Aggregate(IReadOnlyList{WeightedUpdate}, Span{float}, AggregationContext)"/> with
    /// <see cref="AggregationContext.None"/>, so a decorator has one method to override and cannot be bypassed by
    /// either overload.
    /// </remarks>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination) =>
        Aggregate(updates, destination, AggregationContext.None);

    /// <inheritdoc />
    /// <remarks>Forwards to the inner aggregator, context included, unless overridden; an override passes the context on.</remarks>
    public virtual AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Inner.Aggregate(updates, destination, context);
    }
}
