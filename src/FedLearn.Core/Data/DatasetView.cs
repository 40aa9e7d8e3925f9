namespace FedLearn.Data;

/// <summary>
/// A subset of a <see cref="LabeledDataset"/> given by record indices: a client's partition, its train or test
/// split. Holds only the indices, so thousands of clients share one dataset in memory. Immutable.
/// </summary>
public sealed class DatasetView
{
    private readonly int[] _indices;

    /// <summary>Creates a view; the view owns <paramref name="indices"/> from now on.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside the dataset.</exception>
    public DatasetView(LabeledDataset dataset, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        foreach (int index in indices)
        {
            if ((uint)index >= (uint)dataset.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Record index is outside [0, {dataset.Count}).");
            }
        }

        Dataset = dataset;
        _indices = indices;
    }

    /// <summary>The underlying dataset.</summary>
    public LabeledDataset Dataset { get; }

    /// <summary>Indices into <see cref="Dataset"/>.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>Number of records in the view.</summary>
    public int Count => _indices.Length;

    /// <summary>The dataset index of the view's <paramref name="position"/>-th record.</summary>
    public int this[int position] => _indices[position];

    /// <summary>The label of the view's <paramref name="position"/>-th record.</summary>
    public int GetLabel(int position) => Dataset.Labels[_indices[position]];

    /// <summary>The features of the view's <paramref name="position"/>-th record.</summary>
    public ReadOnlySpan<float> GetFeatures(int position) => Dataset.GetFeatures(_indices[position]);

    /// <summary>A view over a subset of this view's positions.</summary>
    public DatasetView Select(IEnumerable<int> positions) => new(Dataset, positions.Select(p => _indices[p]).ToArray());
}
