namespace FedLearn.Data;

/// <summary>
/// An in-memory classification dataset: <see cref="Count"/> records of <see cref="FeatureCount"/> floats each,
/// stored row-major in one array, with an integer label per record. Immutable after construction and safe to
/// share between threads; client datasets are <see cref="DatasetView"/>s over one shared instance.
/// </summary>
public sealed class LabeledDataset
{
    /// <summary>Wraps features and labels; the dataset owns both arrays from now on.</summary>
    /// <param name="features">Row-major features, <c>labels.Length × featureCount</c> values.</param>
    /// <param name="labels">One label per record, in [0, <paramref name="classCount"/>).</param>
    /// <param name="featureCount">Values per record.</param>
    /// <param name="classCount">Number of classes.</param>
    /// <param name="shape">Optional per-record shape (for example [1, 28, 28]); defaults to [featureCount].</param>
    public LabeledDataset(float[] features, int[] labels, int featureCount, int classCount, IReadOnlyList<int>? shape = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        if ((long)labels.Length * featureCount != features.Length)
        {
            throw new ArgumentException($"{labels.Length} labels × {featureCount} features need {(long)labels.Length * featureCount} values but {features.Length} were given.", nameof(features));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Label {labels[i]} of record {i} is outside [0, {classCount}).", nameof(labels));
            }
        }

        shape ??= [featureCount];
        if (TensorInfo.ElementCountOf(shape) != featureCount)
        {
            throw new ArgumentException($"Record shape [{string.Join(", ", shape)}] does not hold {featureCount} features.", nameof(shape));
        }

        Features = features;
        Labels = labels;
        FeatureCount = featureCount;
        ClassCount = classCount;
        RecordShape = shape.ToArray();
    }

    /// <summary>Row-major features. Do not modify.</summary>
    public float[] Features { get; }

    /// <summary>One label per record. Do not modify.</summary>
    public int[] Labels { get; }

    /// <summary>Values per record.</summary>
    public int FeatureCount { get; }

    /// <summary>Number of classes.</summary>
    public int ClassCount { get; }

    /// <summary>The shape of one record (for example [1, 28, 28] for an image).</summary>
    public IReadOnlyList<int> RecordShape { get; }

    /// <summary>Number of records.</summary>
    public int Count => Labels.Length;

    /// <summary>The features of one record.</summary>
    public ReadOnlySpan<float> GetFeatures(int index) => Features.AsSpan(index * FeatureCount, FeatureCount);

    /// <summary>A view over every record.</summary>
    public DatasetView All() => new(this, Enumerable.Range(0, Count).ToArray());

    /// <summary>A view over the first <paramref name="count"/> records (all when <paramref name="count"/> exceeds <see cref="Count"/>).</summary>
    public DatasetView Take(int count) => new(this, Enumerable.Range(0, Math.Min(Math.Max(count, 0), Count)).ToArray());
}
