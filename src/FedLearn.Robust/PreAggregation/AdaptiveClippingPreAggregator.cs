using System.Globalization;
using System.Numerics.Tensors;
using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.PreAggregation;

/// <summary>
/// Adaptive robust clipping (ARC) in front of another aggregator: the k = ⌊2(f/n)(n − f)⌋ updates with the largest
/// norms are scaled down to the largest norm among the others, then the inner aggregator runs. Thread-safe when the
/// inner aggregator is.
/// </summary>
/// <remarks>
/// <para>Allouah et al. 2024 (ARC). Needs n &gt; 2f. Norm ties are broken by client id, so the choice does not depend
/// on the order of the updates. Returns the inner aggregator's scores and exclusions.</para>
/// </remarks>
public sealed class AdaptiveClippingPreAggregator : DelegatingAggregator
{
    private readonly int _f;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public AdaptiveClippingPreAggregator(IAggregator inner, AdaptiveClippingOptions options)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(AdaptiveClippingOptions));
        _f = options.ByzantineCount;
        Name = $"arc:{_f.ToString(CultureInfo.InvariantCulture)}>{inner.Name}";
    }

    /// <inheritdoc />
    /// <value><c>arc:&lt;f&gt;&gt;</c> followed by the inner aggregator's name.</value>
    public override string Name { get; }

    /// <summary>How many updates ARC clips among <paramref name="n"/> with <paramref name="f"/> Byzantine: ⌊2(f/n)(n − f)⌋.</summary>
    public static int ClippedCount(int n, int f) => n <= 0 ? 0 : (int)Math.Floor(2.0 * f * (n - f) / n);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">n ≤ 2f, the updates are invalid, or the inner aggregator rejects them.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        int f = context.RemainingByzantine(_f);
        set.RequireMoreThan(2, f, 0, Name, "n > 2f", context);
        double[] norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            norms[i] = VectorMath.Norm(set.Rows[i].Span);
        }

        int[] byNorm = Enumerable.Range(0, n).ToArray();
        Array.Sort(byNorm, (a, b) => norms[a] != norms[b] ? norms[b].CompareTo(norms[a]) : a.CompareTo(b));
        int k = ClippedCount(n, f);
        var clip = new HashSet<int>(byNorm.Take(k));
        double bound = k < n ? norms[byNorm[k]] : 0;

        using var clipped = new RentedUpdates();
        for (int i = 0; i < n; i++)
        {
            if (!clip.Contains(i) || norms[i] <= bound)
            {
                clipped.AddUnchanged(set.Ids[i], set.Rows[i], set.Weights[i]);
                continue;
            }

            TensorPrimitives.Multiply(set.Rows[i].Span, (float)(bound / norms[i]), clipped.Add(set.Ids[i], set.Length, set.Weights[i]));
        }

        return Inner.Aggregate(clipped.Updates, destination, context);
    }
}
