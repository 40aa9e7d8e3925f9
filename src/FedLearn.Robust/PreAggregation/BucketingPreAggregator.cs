using System.Globalization;
using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.PreAggregation;

/// <summary>
/// Bucketing in front of another aggregator: shuffle the updates, average them in buckets of s, and aggregate the
/// ⌈n/s⌉ bucket means with the inner aggregator. Each bucket mean carries the number of its members as its weight,
/// so FedAvg over the buckets is the plain mean of the updates.
/// </summary>
/// <remarks>
/// <para>Karimireddy, He and Jaggi 2022, "Byzantine-Robust Learning on Heterogeneous Datasets via Bucketing". The inner
/// aggregator sees ⌈n/s⌉ inputs: choose its f for that count.</para>
/// <para>The shuffle starts from client-id order and uses the stream derived from the seed and the call number, so a
/// run is reproducible and independent of the order of the updates. Thread-safe when the inner aggregator is. The
/// inner aggregator's scores and exclusions of a bucket are reported for each of its members.</para>
/// </remarks>
public sealed class BucketingPreAggregator : DelegatingAggregator
{
    private readonly int _size;
    private readonly ulong _seed;
    private long _calls;

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public BucketingPreAggregator(IAggregator inner, BucketingOptions options)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(BucketingOptions));
        _size = options.BucketSize;
        _seed = options.Seed;
        Name = $"bucket:{_size.ToString(CultureInfo.InvariantCulture)}>{inner.Name}";
    }

    /// <inheritdoc />
    /// <value><c>bucket:&lt;s&gt;&gt;</c> followed by the inner aggregator's name.</value>
    public override string Name { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The updates are invalid, or the inner aggregator rejects the bucket means.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        long call = Interlocked.Increment(ref _calls) - 1;
        int[] permutation = Enumerable.Range(0, n).ToArray();
        new DeterministicRandom(Seeds.Derive(_seed, call)).Shuffle(permutation.AsSpan());

        int buckets = (n + _size - 1) / _size;
        var members = new string[buckets][];
        using var means = new RentedUpdates();
        for (int b = 0; b < buckets; b++)
        {
            int[] chosen = permutation.AsSpan(b * _size, Math.Min(_size, n - (b * _size))).ToArray();
            Array.Sort(chosen);
            members[b] = chosen.Select(i => set.Ids[i]).ToArray();
            ReadOnlyMemory<float>[] rows = chosen.Select(i => set.Rows[i]).ToArray();
            VectorMath.Mean(rows, means.Add(BucketId(b), set.Length, chosen.Length));
        }

        AggregationResult inner = Inner.Aggregate(means.Updates, destination, context);
        var scores = new List<ClientScore>(n);
        foreach (ClientScore score in inner.Scores)
        {
            if (TryBucket(score.ClientId, buckets, out int b))
            {
                scores.AddRange(members[b].Select(id => new ClientScore(id, score.Score)));
            }
        }

        var excluded = new List<ClientExclusion>();
        foreach (ClientExclusion exclusion in inner.Excluded)
        {
            if (TryBucket(exclusion.ClientId, buckets, out int b))
            {
                string reason = $"in bucket {b} ({string.Join(", ", members[b])}), which {Inner.Name} left out: {exclusion.Reason}";
                excluded.AddRange(members[b].Select(id => new ClientExclusion(id, reason)));
            }
        }

        return new AggregationResult(scores, excluded);
    }

    private static string BucketId(int bucket) => "bucket" + bucket.ToString("D6", CultureInfo.InvariantCulture);

    private static bool TryBucket(string id, int buckets, out int bucket)
    {
        bucket = -1;
        return id.StartsWith("bucket", StringComparison.Ordinal)
            && int.TryParse(id.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out bucket)
            && bucket < buckets;
    }
}
