using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.Median;

/// <summary>
/// Coordinate-wise median: each coordinate of the result is the median of the clients' values for it (the mean of the
/// two middle values when the number of clients is even). Client weights are ignored. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>Yin et al. 2018, "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates".</para>
/// <para>Tolerates fewer than half Byzantine clients. Computed by a vectorised selection network over the rows in place
/// (up to 128 clients) or by per-coordinate selection over cache-sized transposed blocks (more clients). Scores
/// are each client's Euclidean distance to the result; nobody is excluded (every client can supply a coordinate).
/// The result is bit-identical for any order of the updates.</para>
/// </remarks>
public sealed class CoordinateMedian : IAggregator
{
    /// <inheritdoc />
    /// <value><c>median</c>.</value>
    public string Name => "median";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">No updates, duplicate ids, a wrong length, a non-finite value, or an update overlapping the destination.</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination)
    {
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        if (set.Count <= RankReduction.MaxClients)
        {
            RankReduction.Median(set.Rows, destination);
        }
        else
        {
            CoordinateWise.Reduce(set.Rows, destination, default(MedianReducer));
        }

        return new AggregationResult(set.DistancesTo(destination), []);
    }
}
