using FedLearn.Logging;
using Microsoft.Extensions.Logging;

namespace FedLearn.Telemetry;

/// <summary>
/// Records clients' training metrics (<see cref="FedLearnTelemetry.ClientTrainingLoss"/>,
/// <see cref="FedLearnTelemetry.ClientTrainingAccuracy"/>, <see cref="FedLearnTelemetry.ClientTrainingExamples"/>)
/// tagged with the client's id, for at most <c>limit</c> distinct client ids: every id is one more series per
/// instrument in every metrics backend, so their number is capped. The first ids seen are recorded for the whole run;
/// a new id beyond the cap is not, and the first one refused is logged once. Thread-safe.
/// </summary>
internal sealed class ClientTrainingTelemetry
{
    private readonly int _limit;
    private readonly ILogger _logger;
    private readonly HashSet<string> _clients = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _limitReported;

    /// <param name="limit">Most distinct client ids recorded; 0 records none.</param>
    /// <param name="logger">Where reaching the limit is reported.</param>
    public ClientTrainingTelemetry(int limit, ILogger logger)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentNullException.ThrowIfNull(logger);
        _limit = limit;
        _logger = logger;
    }

    /// <summary>True when anyone listens to the per-client instruments.</summary>
    public static bool Enabled =>
        FedLearnTelemetry.ClientTrainingLoss.Enabled || FedLearnTelemetry.ClientTrainingAccuracy.Enabled || FedLearnTelemetry.ClientTrainingExamples.Enabled;

    /// <summary>Records <paramref name="metrics"/> for <paramref name="clientId"/> unless the id is beyond the limit.</summary>
    /// <returns>True when recorded.</returns>
    public bool Record(string clientId, TrainingMetrics metrics)
    {
        if (!Enabled || !Admit(clientId))
        {
            return false;
        }

        Emit(clientId, metrics);
        return true;
    }

    /// <summary>Records <paramref name="metrics"/> under <paramref name="clientId"/>, with no limit (one client's own process).</summary>
    public static void Emit(string clientId, TrainingMetrics metrics)
    {
        var tag = new KeyValuePair<string, object?>(LogFields.ClientId, clientId);
        if (double.IsFinite(metrics.Loss))
        {
            FedLearnTelemetry.ClientTrainingLoss.Record(metrics.Loss, tag);
        }

        if (double.IsFinite(metrics.Accuracy))
        {
            FedLearnTelemetry.ClientTrainingAccuracy.Record(metrics.Accuracy, tag);
        }

        FedLearnTelemetry.ClientTrainingExamples.Record(metrics.ExampleCount, tag);
    }

    private bool Admit(string clientId)
    {
        lock (_gate)
        {
            if (_clients.Contains(clientId))
            {
                return true;
            }

            if (_clients.Count < _limit)
            {
                _clients.Add(clientId);
                return true;
            }

            if (_limit > 0 && !_limitReported)
            {
                _limitReported = true;
                _logger.LogWarning(
                    "Per-client training metrics are limited to {Limit} client ids (PerClientMetricsLimit): client {ClientId} and any other new client are left out of them from now on; the round metrics still count every client",
                    _limit,
                    clientId);
            }

            return false;
        }
    }
}
