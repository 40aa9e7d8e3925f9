namespace FedLearn;

/// <summary>
/// Applies the aggregated client delta to the global weights (FedAvg, FedAvgM, FedAdam, ...). Stateful: keeps
/// momentum and second-moment buffers across rounds, which checkpoints save and restore. Not thread-safe.
/// </summary>
public interface IServerOptimizer
{
    /// <summary>Short name (for example <c>fedadam</c>).</summary>
    string Name { get; }

    /// <summary>Updates <paramref name="weights"/> in place with the aggregated <paramref name="delta"/>.</summary>
    void Step(Span<float> weights, ReadOnlySpan<float> delta);

    /// <summary>The optimizer's state as named vectors (empty when stateless). The caller must not modify them.</summary>
    IReadOnlyDictionary<string, float[]> ExportState();

    /// <summary>Restores state exported by <see cref="ExportState"/>.</summary>
    /// <exception cref="ArgumentException">A vector is missing or has the wrong length.</exception>
    void ImportState(IReadOnlyDictionary<string, float[]> state);
}
