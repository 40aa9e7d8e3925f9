using System.Globalization;
using FedLearn.Options;
using FedLearn.Robust.Kernels;
using FedLearn.Robust.Krum;

namespace FedLearn.Robust.Bulyan;

/// <summary>
/// Bulyan: select θ = n − 2f updates by repeated Krum, then per coordinate average the β = θ − 2f selected values
/// closest to their median. Client weights are ignored. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>El Mhamdi, Guerraoui and Rouault 2018, "The Hidden Vulnerability of Distributed Learning in Byzantium".
/// Needs n ≥ 4f + 3.</para>
/// <para>Scores are the Krum scores over all n updates; the clients the Krum stage did not select are excluded. Ties
/// are broken by client id, so the result is bit-identical for any order of the updates.</para>
/// </remarks>
public sealed class BulyanAggregator : IAggregator
{
    private readonly int _f;

    /// <summary>Creates the aggregator.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public BulyanAggregator(BulyanOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(BulyanOptions));
        _f = options.ByzantineCount;
        Name = "bulyan:" + _f.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    /// <value><c>bulyan:&lt;f&gt;</c>.</value>
    public string Name { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">n &lt; 4f + 3, or the updates are invalid (no updates, duplicate ids, a wrong length, a non-finite value).</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination) =>
        Aggregate(updates, destination, AggregationContext.None);

    /// <inheritdoc />
    /// <remarks>f is lowered by the replies the server removed as certainly faulty.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        int f = context.RemainingByzantine(_f);
        set.RequireMoreThan(4, f, 2, Name, "n ≥ 4f + 3", context);
        double[] distances = GramMatrix.PairwiseSquaredDistances(set.Rows, set.Length);
        double[] initialScores = KrumScoring.Scores(distances, n, Enumerable.Range(0, n).ToArray(), f);

        int theta = n - (2 * f);
        var remaining = Enumerable.Range(0, n).ToList();
        var selected = new List<int>(theta);
        while (selected.Count < theta)
        {
            double[] scores = KrumScoring.Scores(distances, n, remaining.ToArray(), f);
            int best = KrumScoring.Rank(scores)[0];
            selected.Add(remaining[best]);
            remaining.RemoveAt(best);
        }

        selected.Sort();
        var rows = new ReadOnlyMemory<float>[theta];
        for (int k = 0; k < theta; k++)
        {
            rows[k] = set.Rows[selected[k]];
        }

        CoordinateWise.Reduce(rows, destination, new BulyanReducer(theta - (2 * f)));

        var clientScores = new ClientScore[n];
        for (int i = 0; i < n; i++)
        {
            clientScores[i] = new ClientScore(set.Ids[i], initialScores[i]);
        }

        remaining.Sort();
        ClientExclusion[] excluded = remaining
            .Select(i => new ClientExclusion(set.Ids[i], $"{Name}: not among the θ = {theta} updates selected by repeated Krum."))
            .ToArray();
        return new AggregationResult(clientScores, excluded);
    }
}
