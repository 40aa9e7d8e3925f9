using FedLearn.Data;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// Crafted examples for a canary audit: each canary is a real record given a wrong label, and each is included in
/// the target's training set with probability one half, independently, so that half of them (about) are members
/// and the rest are held out. The attack then scores only the canaries, by the target's loss on their canary labels.
/// Immutable once built; thread-safe to read.
/// </summary>
/// <remarks>
/// <para>
/// A mislabelled record is an outlier the model can only fit by memorising it, so its loss depends far more on
/// whether it was trained on than a natural example's does: the canary audit bounds the worst case that DP
/// promises, where the natural-data attacks of <see cref="MembershipAuditor"/> measure the average case.
/// Randomising each canary's membership makes members and non-members exchangeable before training, which is what
/// lets one training run measure the attack (Jagielski, Ullman and Oprea 2020; Steinke, Nasr and Jagielski 2023,
/// "Privacy Auditing with One (1) Training Run").
/// </para>
/// <para>
/// The canary label of a record with true label y is drawn uniformly from the other C − 1 classes. Labels and
/// membership come from two streams derived from the seed, so the same source and seed always give the same set.
/// </para>
/// </remarks>
public sealed class CanarySet
{
    private const long LabelPurpose = 0x4C41_4245; // "LABE"
    private const long InclusionPurpose = 0x494E_434C; // "INCL"

    private readonly int[] _trueLabels;
    private readonly bool[] _included;
    private readonly int[] _includedPositions;
    private readonly int[] _excludedPositions;

    private CanarySet(LabeledDataset records, int[] trueLabels, bool[] included)
    {
        Records = records;
        _trueLabels = trueLabels;
        _included = included;
        _includedPositions = [.. Enumerable.Range(0, included.Length).Where(i => included[i])];
        _excludedPositions = [.. Enumerable.Range(0, included.Length).Where(i => !included[i])];
    }

    /// <summary>The canaries: the source records' features with their canary labels, in source order.</summary>
    public LabeledDataset Records { get; }

    /// <summary>Number of canaries.</summary>
    public int Count => _included.Length;

    /// <summary>The number of canaries included in the training set.</summary>
    public int IncludedCount => _includedPositions.Length;

    /// <summary>The number of canaries held out.</summary>
    public int ExcludedCount => _excludedPositions.Length;

    /// <summary>The source records' true labels, one per canary (each differs from the canary label in <see cref="Records"/>).</summary>
    public ReadOnlySpan<int> TrueLabels => _trueLabels;

    /// <summary>Whether each canary is included in the training set.</summary>
    public ReadOnlySpan<bool> Included => _included;

    /// <summary>The included canaries (the attack's members), with their canary labels.</summary>
    /// <returns>A new view over <see cref="Records"/>.</returns>
    public DatasetView IncludedCanaries() => new(Records, [.. _includedPositions]);

    /// <summary>The held-out canaries (the attack's non-members), with their canary labels.</summary>
    /// <returns>A new view over <see cref="Records"/>.</returns>
    public DatasetView ExcludedCanaries() => new(Records, [.. _excludedPositions]);

    /// <summary>
    /// Mislabels every record of <paramref name="source"/> and draws each one's membership: canary label uniform over
    /// the classes other than the true one, included with probability one half, independently.
    /// </summary>
    /// <param name="source">The records to turn into canaries (at least one; its dataset must have at least 2 classes). They should appear nowhere else in the audit.</param>
    /// <param name="seed">Seed of the labels and of the memberships.</param>
    /// <returns>The canary set; it copies the records' features and keeps no reference to <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="source"/> is empty or its dataset has fewer than 2 classes.</exception>
    public static CanarySet Mislabel(DatasetView source, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(source);
        int classes = source.Dataset.ClassCount;
        if (source.Count == 0)
        {
            throw new ArgumentException("The canary source holds no record.", nameof(source));
        }

        if (classes < 2)
        {
            throw new ArgumentException($"Canaries need a wrong label, so the dataset needs at least 2 classes; it has {classes}.", nameof(source));
        }

        int count = source.Count;
        int width = source.Dataset.FeatureCount;
        var features = new float[(long)count * width];
        var canaryLabels = new int[count];
        var trueLabels = new int[count];
        var included = new bool[count];
        var labels = new DeterministicRandom(Seeds.Derive(seed, LabelPurpose));
        var inclusion = new DeterministicRandom(Seeds.Derive(seed, InclusionPurpose));
        for (int i = 0; i < count; i++)
        {
            source.GetFeatures(i).CopyTo(features.AsSpan(i * width, width));
            int label = source.GetLabel(i);
            trueLabels[i] = label;
            canaryLabels[i] = (label + 1 + labels.NextInt(classes - 1)) % classes;
            included[i] = (inclusion.NextUInt64() >> 63) == 1;
        }

        var records = new LabeledDataset(features, canaryLabels, width, classes, source.Dataset.RecordShape);
        return new CanarySet(records, trueLabels, included);
    }

    /// <summary>
    /// The training set of a model that sees the included canaries: the records of <paramref name="members"/>
    /// followed by the included canaries with their canary labels, copied into one new dataset.
    /// </summary>
    /// <param name="members">The natural training examples; their dataset must have the canaries' feature count and class count.</param>
    /// <returns>A view over every record of a new dataset of <c>members.Count + IncludedCount</c> records.</returns>
    /// <exception cref="ArgumentException">The members' records have another feature count or class count.</exception>
    public DatasetView WithIncludedCanaries(DatasetView members)
    {
        ArgumentNullException.ThrowIfNull(members);
        int width = Records.FeatureCount;
        if (members.Dataset.FeatureCount != width || members.Dataset.ClassCount != Records.ClassCount)
        {
            throw new ArgumentException(
                $"The members have {members.Dataset.FeatureCount} features and {members.Dataset.ClassCount} classes but the canaries have {width} and {Records.ClassCount}.", nameof(members));
        }

        int total = members.Count + IncludedCount;
        var features = new float[(long)total * width];
        var labels = new int[total];
        for (int i = 0; i < members.Count; i++)
        {
            members.GetFeatures(i).CopyTo(features.AsSpan(i * width, width));
            labels[i] = members.GetLabel(i);
        }

        for (int j = 0; j < _includedPositions.Length; j++)
        {
            int row = members.Count + j;
            Records.GetFeatures(_includedPositions[j]).CopyTo(features.AsSpan(row * width, width));
            labels[row] = Records.Labels[_includedPositions[j]];
        }

        return new LabeledDataset(features, labels, width, Records.ClassCount, Records.RecordShape).All();
    }
}
