namespace FedLearn;

/// <summary>What one client sends back after local training in one round.</summary>
/// <param name="ClientId">The sender.</param>
/// <param name="Round">The round the update belongs to (1-based).</param>
/// <param name="ExampleCount">Number of local training examples; the weight in example-weighted averaging.</param>
/// <param name="Payload">The model delta, dense or encoded.</param>
/// <param name="Metrics">Local training metrics.</param>
public sealed record ClientUpdate(string ClientId, int Round, long ExampleCount, UpdatePayload Payload, TrainingMetrics Metrics);
