namespace FedLearn.Telemetry;

/// <summary>
/// Wraps a client's <see cref="ILocalTrainer"/> and records each local training run's loss, accuracy and example
/// count under the client's id (<see cref="FedLearnTelemetry.ClientTrainingLoss"/>,
/// <see cref="FedLearnTelemetry.ClientTrainingAccuracy"/>, <see cref="FedLearnTelemetry.ClientTrainingExamples"/>,
/// tag <c>client_id</c>), for a client process that exports its own metrics: one client per process keeps it to one
/// series per instrument. Where many clients share a process (the simulation), leave them unwrapped; the server's
/// per-client metrics, capped by <see cref="Server.FederatedServerOptions.PerClientMetricsLimit"/>, cover them.
/// Evaluation passes through. Thread-safe as far as the inner trainer is.
/// </summary>
public sealed class MeteredLocalTrainer : ILocalTrainer
{
    /// <summary>Wraps <paramref name="inner"/>, recording under <paramref name="clientId"/>.</summary>
    /// <param name="inner">The trainer that does the work.</param>
    /// <param name="clientId">The client's id, the value of the <c>client_id</c> tag.</param>
    public MeteredLocalTrainer(ILocalTrainer inner, string clientId)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        Inner = inner;
        ClientId = clientId;
    }

    /// <summary>The wrapped trainer.</summary>
    public ILocalTrainer Inner { get; }

    /// <summary>The client's id.</summary>
    public string ClientId { get; }

    /// <inheritdoc />
    public async Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
    {
        LocalFitResult result = await Inner.FitAsync(globalWeights, config, cancellationToken).ConfigureAwait(false);
        if (ClientTrainingTelemetry.Enabled)
        {
            ClientTrainingTelemetry.Emit(ClientId, result.Metrics);
        }

        return result;
    }

    /// <inheritdoc />
    public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => Inner.EvaluateAsync(weights, cancellationToken);
}
