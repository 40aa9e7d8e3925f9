namespace FedLearn.Server;

/// <summary>Evaluates the global model on data the server holds (centralized evaluation).</summary>
public interface ICentralEvaluator
{
    /// <summary>Evaluates <paramref name="weights"/> (read-only) after <paramref name="round"/>.</summary>
    Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, int round, CancellationToken cancellationToken);
}
