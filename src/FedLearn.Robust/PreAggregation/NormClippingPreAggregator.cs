using System.Globalization;
using System.Numerics.Tensors;
using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.PreAggregation;

/// <summary>
/// Static norm clipping in front of another aggregator: every update longer than C is scaled to norm C
/// (x·min(1, C/‖x‖)), then the inner aggregator runs on the clipped updates. Thread-safe when the inner aggregator is.
/// </summary>
/// <remarks>Returns the inner aggregator's scores and exclusions. Updates within the bound are passed on without a copy.</remarks>
public sealed class NormClippingPreAggregator : DelegatingAggregator
{
    private readonly double _maxNorm;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public NormClippingPreAggregator(IAggregator inner, NormClippingOptions options)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(NormClippingOptions));
        _maxNorm = options.MaxNorm;
        Name = $"clip:{_maxNorm.ToString(CultureInfo.InvariantCulture)}>{inner.Name}";
    }

    /// <inheritdoc />
    /// <value><c>clip:&lt;c&gt;&gt;</c> followed by the inner aggregator's name.</value>
    public override string Name { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The updates are invalid, or the inner aggregator rejects them.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        using var clipped = new RentedUpdates();
        for (int i = 0; i < set.Count; i++)
        {
            ReadOnlySpan<float> x = set.Rows[i].Span;
            double norm = VectorMath.Norm(x);
            if (norm <= _maxNorm)
            {
                clipped.AddUnchanged(set.Ids[i], set.Rows[i], set.Weights[i]);
                continue;
            }

            TensorPrimitives.Multiply(x, (float)(_maxNorm / norm), clipped.Add(set.Ids[i], set.Length, set.Weights[i]));
        }

        return Inner.Aggregate(clipped.Updates, destination, context);
    }
}
