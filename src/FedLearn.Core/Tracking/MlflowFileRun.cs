using System.Globalization;
using System.Text;

namespace FedLearn.Tracking;

/// <summary>A run in an <see cref="MlflowFileStore"/>: one folder, written as values arrive.</summary>
internal sealed class MlflowFileRun : IExperimentRun
{
    private const int SourceTypeLocal = 4;
    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly string? _runName;
    private readonly long _startTime;
    private RunStatus _status = RunStatus.Running;

    private MlflowFileRun(string directory, string experimentId, string runId, string? runName, long startTime)
    {
        _directory = directory;
        ExperimentId = experimentId;
        RunId = runId;
        _runName = runName;
        _startTime = startTime;
    }

    public string RunId { get; }

    public string ExperimentId { get; }

    public static MlflowFileRun Create(string experimentDirectory, string experimentId, string? runName, DateTimeOffset started)
    {
        string runId = Guid.NewGuid().ToString("N");
        string directory = Path.Combine(experimentDirectory, runId);
        foreach (string folder in new[] { "metrics", "params", "tags", "artifacts" })
        {
            Directory.CreateDirectory(Path.Combine(directory, folder));
        }

        var run = new MlflowFileRun(directory, experimentId, runId, runName, TrackingKeys.ToUnixMilliseconds(started));
        run.WriteMeta(endTime: null);
        var tags = new List<KeyValuePair<string, string>> { new("mlflow.source.type", "LOCAL"), new("mlflow.user", Environment.UserName) };
        if (runName is not null)
        {
            tags.Add(new("mlflow.runName", runName));
        }

        run.WriteTags(tags);
        return run;
    }

    public Task LogParametersAsync(IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        cancellationToken.ThrowIfCancellationRequested();
        KeyValuePair<string, string>[] items = parameters.ToArray();
        foreach ((string key, string value) in items)
        {
            TrackingKeys.Validate(key, "parameter");
            TrackingKeys.ValidateParameterValue(key, value);
        }

        lock (_gate)
        {
            foreach ((string key, string value) in items)
            {
                string path = PathFor("params", key);
                if (File.Exists(path))
                {
                    string existing = File.ReadAllText(path);
                    if (existing != value)
                    {
                        throw new ExperimentTrackingException($"Parameter '{key}' of run {RunId} already has the value '{existing}'; a parameter cannot be changed to '{value}'.");
                    }

                    continue;
                }

                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, value);
            }
        }

        return Task.CompletedTask;
    }

    public Task LogMetricsAsync(IEnumerable<MetricPoint> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        cancellationToken.ThrowIfCancellationRequested();
        MetricPoint[] points = metrics.ToArray();
        foreach (MetricPoint point in points)
        {
            TrackingKeys.Validate(point.Key, "metric");
        }

        lock (_gate)
        {
            foreach (IGrouping<string, MetricPoint> group in points.GroupBy(p => p.Key, StringComparer.Ordinal))
            {
                var lines = new StringBuilder();
                foreach (MetricPoint point in group)
                {
                    lines.Append(TrackingKeys.ToUnixMilliseconds(point.Timestamp).ToString(CultureInfo.InvariantCulture))
                        .Append(' ').Append(FormatValue(point.Value))
                        .Append(' ').Append(point.Step.ToString(CultureInfo.InvariantCulture)).Append('\n');
                }

                string path = PathFor("metrics", group.Key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.AppendAllText(path, lines.ToString());
            }
        }

        return Task.CompletedTask;
    }

    public Task SetTagsAsync(IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        cancellationToken.ThrowIfCancellationRequested();
        KeyValuePair<string, string>[] items = tags.ToArray();
        foreach ((string key, string value) in items)
        {
            TrackingKeys.Validate(key, "tag");
            ArgumentNullException.ThrowIfNull(value);
        }

        WriteTags(items);
        return Task.CompletedTask;
    }

    public Task LogArtifactAsync(string localPath, string? artifactDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localPath);
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(localPath))
        {
            throw new FileNotFoundException($"The artifact '{localPath}' does not exist.", localPath);
        }

        string target = Path.Combine(_directory, "artifacts");
        if (!string.IsNullOrEmpty(artifactDirectory))
        {
            TrackingKeys.Validate(artifactDirectory, "artifact path");
            target = Path.Combine(target, artifactDirectory);
        }

        Directory.CreateDirectory(target);
        File.Copy(localPath, Path.Combine(target, Path.GetFileName(localPath)), overwrite: true);
        return Task.CompletedTask;
    }

    public Task EndAsync(RunStatus status, CancellationToken cancellationToken = default)
    {
        if (status == RunStatus.Running || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run ends as Finished, Failed or Killed.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            _status = status;
            WriteMeta(TrackingKeys.ToUnixMilliseconds(DateTimeOffset.UtcNow));
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_status == RunStatus.Running)
            {
                _status = RunStatus.Killed;
                WriteMeta(TrackingKeys.ToUnixMilliseconds(DateTimeOffset.UtcNow));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>How MLflow's file store writes a float: shortest round-trip form, <c>nan</c>, <c>inf</c>, <c>-inf</c>.</summary>
    internal static string FormatValue(double value) => value switch
    {
        double.NaN => "nan",
        double.PositiveInfinity => "inf",
        double.NegativeInfinity => "-inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private void WriteTags(IEnumerable<KeyValuePair<string, string>> tags)
    {
        lock (_gate)
        {
            foreach ((string key, string value) in tags)
            {
                string path = PathFor("tags", key);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, value);
            }
        }
    }

    private string PathFor(string folder, string key) => Path.Combine(_directory, folder, key.Replace('/', Path.DirectorySeparatorChar));

    private void WriteMeta(long? endTime)
    {
        var meta = new Dictionary<string, object>
        {
            ["artifact_uri"] = new Uri(Path.Combine(_directory, "artifacts")).AbsoluteUri,
            ["end_time"] = endTime is { } end ? end : new MlflowYaml.Raw("null"),
            ["entry_point_name"] = string.Empty,
            ["experiment_id"] = ExperimentId,
            ["lifecycle_stage"] = "active",
            ["run_id"] = RunId,
            ["run_name"] = _runName ?? string.Empty,
            ["run_uuid"] = RunId,
            ["source_name"] = string.Empty,
            ["source_type"] = SourceTypeLocal,
            ["source_version"] = string.Empty,
            ["start_time"] = _startTime,
            ["status"] = (int)_status,
            ["tags"] = new MlflowYaml.Raw("[]"),
            ["user_id"] = Environment.UserName,
        };
        File.WriteAllText(Path.Combine(_directory, "meta.yaml"), MlflowYaml.Write(meta));
    }
}
