namespace FedLearn.Transport.Grpc.Tests;

/// <summary>A trainer whose local model is the global one plus a fixed shift, so the aggregate is known exactly.</summary>
internal sealed class ShiftTrainer(float shift, long examples = 10) : ILocalTrainer
{
    public int Fits;

    public Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FedLearn.FitConfig config, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Fits);
        ModelWeights local = globalWeights.Clone();
        foreach (ref float value in local.AsSpan())
        {
            value += shift;
        }

        return Task.FromResult(new LocalFitResult(local, new FedLearn.TrainingMetrics(1.0 / config.Round, 0.5, examples, 1, TimeSpan.FromMilliseconds(1))));
    }

    public Task<FedLearn.EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) =>
        Task.FromResult(new FedLearn.EvaluationMetrics(0.1, 0.9, examples));
}
