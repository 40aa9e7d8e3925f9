namespace FedLearn.Tracking;

/// <summary>One value of a metric: its key, the value, the step (for FedLearn, the round) and when it was measured.</summary>
/// <param name="Key">The metric's key, for example <c>central_accuracy</c>.</param>
/// <param name="Value">The value; NaN and infinities are kept as such.</param>
/// <param name="Step">The step; FedLearn uses the round number.</param>
/// <param name="Timestamp">When the value was measured (stored with millisecond precision).</param>
public readonly record struct MetricPoint(string Key, double Value, long Step, DateTimeOffset Timestamp)
{
    /// <summary>A point measured now.</summary>
    public static MetricPoint Now(string key, double value, long step) => new(key, value, step, DateTimeOffset.UtcNow);
}
