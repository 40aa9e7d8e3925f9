using System.Globalization;
using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.Krum;

/// <summary>
/// Krum and Multi-Krum: score every update by the sum of squared distances to its n − f − 2 nearest other updates and
/// average the m lowest-scoring ones (m = 1 is Krum). Client weights are ignored. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent". Needs n &gt; 2f + 2.</para>
/// <para>Pairwise distances come from the Gram matrix of the centred updates (‖a‖² + ‖b‖² − 2a·b) computed in
/// cache-sized blocks. Scores are the Krum scores; the clients not among the m best are reported as excluded. Ties
/// are broken by client id, so the result is bit-identical for any order of the updates.</para>
/// </remarks>
public sealed class KrumAggregator : IAggregator
{
    private readonly int _f;
    private readonly int? _m;

    /// <summary>Creates the aggregator.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public KrumAggregator(KrumOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(KrumOptions));
        _f = options.ByzantineCount;
        _m = options.SelectionCount;
        string f = _f.ToString(CultureInfo.InvariantCulture);
        Name = _m switch
        {
            1 => $"krum:{f}",
            null => $"multikrum:{f}",
            int m => $"multikrum:{f},{m.ToString(CultureInfo.InvariantCulture)}",
        };
    }

    /// <inheritdoc />
    /// <value><c>krum:&lt;f&gt;</c>, <c>multikrum:&lt;f&gt;</c> or <c>multikrum:&lt;f&gt;,&lt;m&gt;</c>.</value>
    public string Name { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">n ≤ 2f + 2, m &gt; n, or the updates are invalid (no updates, duplicate ids, a wrong length, a non-finite value).</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination) =>
        Aggregate(updates, destination, AggregationContext.None);

    /// <inheritdoc />
    /// <remarks>f is lowered by the replies the server removed as certainly faulty; so is the default m = n − f.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is null.</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        int f = context.RemainingByzantine(_f);
        set.RequireMoreThan(2, f, 2, Name, "n > 2f + 2", context);
        int m = _m ?? (n - f);
        if (m > n)
        {
            throw new ArgumentException($"Aggregator '{Name}' averages the m = {m} best updates but only {n} arrived.", nameof(updates));
        }

        double[] distances = GramMatrix.PairwiseSquaredDistances(set.Rows, set.Length);
        int[] all = Enumerable.Range(0, n).ToArray();
        double[] scores = KrumScoring.Scores(distances, n, all, f);
        int[] ranked = KrumScoring.Rank(scores);

        var selected = new ReadOnlyMemory<float>[m];
        for (int r = 0; r < m; r++)
        {
            selected[r] = set.Rows[ranked[r]];
        }

        VectorMath.Mean(selected, destination);

        var clientScores = new ClientScore[n];
        for (int i = 0; i < n; i++)
        {
            clientScores[i] = new ClientScore(set.Ids[i], scores[i]);
        }

        var excluded = new ClientExclusion[n - m];
        for (int r = m; r < n; r++)
        {
            int i = ranked[r];
            excluded[r - m] = new ClientExclusion(
                set.Ids[i],
                $"{Name}: score {scores[i].ToString("G6", CultureInfo.InvariantCulture)} ranks {r + 1} of {n}; only the {m} lowest are averaged.");
        }

        return new AggregationResult(clientScores, excluded);
    }
}
