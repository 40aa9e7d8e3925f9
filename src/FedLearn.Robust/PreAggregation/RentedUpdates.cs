using System.Buffers;

namespace FedLearn.Robust.PreAggregation;

/// <summary>
/// The transformed updates a pre-aggregator hands to its inner aggregator, backed by pooled arrays that are returned
/// when the call ends. Not thread-safe; one instance per call.
/// </summary>
internal sealed class RentedUpdates : IDisposable
{
    private readonly List<float[]> _rented = [];

    /// <summary>The updates to pass on.</summary>
    public List<WeightedUpdate> Updates { get; } = [];

    /// <summary>Rents a vector of <paramref name="length"/> floats, adds it as <paramref name="clientId"/>'s update and returns it for writing.</summary>
    public Span<float> Add(string clientId, int length, double weight)
    {
        float[] array = ArrayPool<float>.Shared.Rent(Math.Max(length, 1));
        _rented.Add(array);
        Updates.Add(new WeightedUpdate(clientId, array.AsMemory(0, length), weight));
        return array.AsSpan(0, length);
    }

    /// <summary>Adds an update unchanged (no copy).</summary>
    public void AddUnchanged(string clientId, ReadOnlyMemory<float> values, double weight) =>
        Updates.Add(new WeightedUpdate(clientId, values, weight));

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (float[] array in _rented)
        {
            ArrayPool<float>.Shared.Return(array);
        }

        _rented.Clear();
    }
}
