using System.Text.Json;

namespace FedLearn.Tracking;

/// <summary>The JSON bodies of the MLflow REST calls, written field by field (no reflection).</summary>
internal static class MlflowRestJson
{
    /// <summary>MLflow's limits for one <c>runs/log-batch</c> request.</summary>
    public const int MaxMetricsPerBatch = 1000;

    /// <summary>At most this many parameters per batch.</summary>
    public const int MaxParametersPerBatch = 100;

    /// <summary>At most this many tags per batch.</summary>
    public const int MaxTagsPerBatch = 100;

    public static byte[] CreateExperiment(string name) => Write(w => w.WriteString("name", name));

    public static byte[] CreateRun(string experimentId, string? runName, long startTime, IEnumerable<KeyValuePair<string, string>> tags) => Write(w =>
    {
        w.WriteString("experiment_id", experimentId);
        if (runName is not null)
        {
            w.WriteString("run_name", runName);
        }

        w.WriteNumber("start_time", startTime);
        WritePairs(w, "tags", tags);
    });

    public static byte[] UpdateRun(string runId, RunStatus status, long endTime) => Write(w =>
    {
        w.WriteString("run_id", runId);
        w.WriteString("status", StatusName(status));
        w.WriteNumber("end_time", endTime);
    });

    public static byte[] LogBatch(string runId, IReadOnlyList<MetricPoint> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags) => Write(w =>
    {
        w.WriteString("run_id", runId);
        if (metrics.Count > 0)
        {
            w.WriteStartArray("metrics");
            foreach (MetricPoint point in metrics)
            {
                w.WriteStartObject();
                w.WriteString("key", point.Key);
                if (double.IsFinite(point.Value))
                {
                    w.WriteNumber("value", point.Value);
                }
                else
                {
                    // Protobuf's JSON mapping spells non-finite doubles as strings.
                    w.WriteString("value", double.IsNaN(point.Value) ? "NaN" : point.Value > 0 ? "Infinity" : "-Infinity");
                }

                w.WriteNumber("timestamp", TrackingKeys.ToUnixMilliseconds(point.Timestamp));
                w.WriteNumber("step", point.Step);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (parameters.Count > 0)
        {
            WritePairs(w, "params", parameters);
        }

        if (tags.Count > 0)
        {
            WritePairs(w, "tags", tags);
        }
    });

    public static string StatusName(RunStatus status) => status switch
    {
        RunStatus.Running => "RUNNING",
        RunStatus.Finished => "FINISHED",
        RunStatus.Failed => "FAILED",
        RunStatus.Killed => "KILLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "Unknown run status."),
    };

    private static void WritePairs(Utf8JsonWriter w, string name, IEnumerable<KeyValuePair<string, string>> pairs)
    {
        w.WriteStartArray(name);
        foreach ((string key, string value) in pairs)
        {
            w.WriteStartObject();
            w.WriteString("key", key);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
