namespace FedLearn;

/// <summary>
/// Trains and evaluates a model on one client's local data. Implementations own their data; the weights passed in
/// are read-only and the returned weights are a new instance the caller owns.
/// </summary>
public interface ILocalTrainer
{
    /// <summary>Trains from <paramref name="globalWeights"/> for the configured local epochs.</summary>
    Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken);

    /// <summary>Evaluates <paramref name="weights"/> on the local test data.</summary>
    Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken);
}

/// <summary>The result of local training.</summary>
/// <param name="Weights">The locally trained weights (same layout as the global weights).</param>
/// <param name="Metrics">Training metrics; <see cref="TrainingMetrics.ExampleCount"/> is the FedAvg weight.</param>
public sealed record LocalFitResult(ModelWeights Weights, TrainingMetrics Metrics);
