using System.Globalization;
using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.PreAggregation;

/// <summary>
/// Nearest-neighbour mixing (NNM) in front of another aggregator: every update xᵢ is replaced by the mean of its n − f
/// nearest updates (itself included), then the inner aggregator runs on the mixed updates. Thread-safe when the inner
/// aggregator is.
/// </summary>
/// <remarks>
/// <para>Allouah et al. 2023, "Fixing by Mixing: A Recipe for Optimal Byzantine ML under Heterogeneity". Needs n &gt; 2f.</para>
/// <para>Distances come from the blocked Gram matrix; distance ties are broken by client id. Each mixed update keeps
/// its client's id and weight. Returns the inner aggregator's scores and exclusions.</para>
/// </remarks>
public sealed class NearestNeighborMixingPreAggregator : DelegatingAggregator
{
    private readonly int _f;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public NearestNeighborMixingPreAggregator(IAggregator inner, NearestNeighborMixingOptions options)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(NearestNeighborMixingOptions));
        _f = options.ByzantineCount;
        Name = $"nnm:{_f.ToString(CultureInfo.InvariantCulture)}>{inner.Name}";
    }

    /// <inheritdoc />
    /// <value><c>nnm:&lt;f&gt;&gt;</c> followed by the inner aggregator's name.</value>
    public override string Name { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">n ≤ 2f, the updates are invalid, or the inner aggregator rejects them.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        int f = context.RemainingByzantine(_f);
        set.RequireMoreThan(2, f, 0, Name, "n > 2f", context);
        double[] distances = GramMatrix.PairwiseSquaredDistances(set.Rows, set.Length);
        int keep = n - f;
        using var mixed = new RentedUpdates();
        var neighbours = new ReadOnlyMemory<float>[keep];
        int[] others = new int[n - 1];
        for (int i = 0; i < n; i++)
        {
            int k = 0;
            for (int j = 0; j < n; j++)
            {
                if (j != i)
                {
                    others[k++] = j;
                }
            }

            int row = i * n;
            Array.Sort(others, (a, b) => distances[row + a] != distances[row + b] ? distances[row + a].CompareTo(distances[row + b]) : a.CompareTo(b));
            int[] chosen = [i, .. others.AsSpan(0, keep - 1)];
            Array.Sort(chosen);
            for (int t = 0; t < keep; t++)
            {
                neighbours[t] = set.Rows[chosen[t]];
            }

            VectorMath.Mean(neighbours, mixed.Add(set.Ids[i], set.Length, set.Weights[i]));
        }

        return Inner.Aggregate(mixed.Updates, destination, context);
    }
}
