using FedLearn.Server;

namespace FedLearn.Tracking;

/// <summary>The metrics FedLearn tracks for a round, keyed as they appear in MLflow, with the round as the step.</summary>
public static class RoundMetrics
{
    /// <summary>
    /// The metrics of <paramref name="result"/>: <c>round_succeeded</c> (1 or 0), <c>clients_sampled</c>,
    /// <c>clients_aggregated</c>, <c>clients_failed</c>, <c>clients_excluded</c>, <c>bytes_up</c>, <c>bytes_down</c>,
    /// <c>round_seconds</c>; <c>compression_ratio</c> when updates arrived; <c>train_loss</c>/<c>train_accuracy</c>,
    /// <c>central_loss</c>/<c>central_accuracy</c> and <c>federated_loss</c>/<c>federated_accuracy</c> when measured.
    /// </summary>
    public static IReadOnlyList<MetricPoint> From(RoundResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        long step = result.Round;
        var points = new List<MetricPoint>
        {
            new("round_succeeded", result.Succeeded ? 1 : 0, step, now),
            new("clients_sampled", result.Sampled.Count, step, now),
            new("clients_aggregated", result.Aggregated.Count, step, now),
            new("clients_failed", result.Failures.Count, step, now),
            new("clients_excluded", result.Excluded.Count, step, now),
            new("bytes_up", result.BytesUp, step, now),
            new("bytes_down", result.BytesDown, step, now),
            new("round_seconds", result.Timings.Total.TotalSeconds, step, now),
        };
        if (result.BytesUp > 0)
        {
            points.Add(new("compression_ratio", (double)result.DenseBytesUp / result.BytesUp, step, now));
        }

        Add(points, "train", result.Training, step, now);
        Add(points, "central", result.CentralEvaluation, step, now);
        Add(points, "federated", result.FederatedEvaluation, step, now);
        return points;
    }

    private static void Add(List<MetricPoint> points, string prefix, EvaluationMetrics? metrics, long step, DateTimeOffset now)
    {
        if (metrics is null)
        {
            return;
        }

        points.Add(new($"{prefix}_loss", metrics.Loss, step, now));
        points.Add(new($"{prefix}_accuracy", metrics.Accuracy, step, now));
    }
}
