namespace FedLearn.Robust.Kernels;

/// <summary>Reduces the n client values of one coordinate to one value; may reorder the column (it is scratch).</summary>
internal interface IColumnReducer
{
    /// <summary>The aggregated value of <paramref name="column"/>.</summary>
    float Reduce(Span<float> column);
}
