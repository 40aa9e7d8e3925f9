namespace FedLearn;

/// <summary>A decoded client delta as the aggregator sees it.</summary>
/// <param name="ClientId">The sender.</param>
/// <param name="Values">The dense delta; read-only for the aggregator.</param>
/// <param name="Weight">Its weight in averaging (the example count for FedAvg); must be positive.</param>
public readonly record struct WeightedUpdate(string ClientId, ReadOnlyMemory<float> Values, double Weight);
