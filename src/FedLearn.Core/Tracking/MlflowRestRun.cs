namespace FedLearn.Tracking;

/// <summary>A run on an MLflow tracking server; every call is one or more REST requests.</summary>
internal sealed class MlflowRestRun : IExperimentRun
{
    private const string ArtifactScheme = "mlflow-artifacts:";
    private readonly MlflowRestTracker _tracker;
    private readonly string? _artifactUri;
    private int _ended;

    public MlflowRestRun(MlflowRestTracker tracker, string experimentId, string runId, string? artifactUri)
    {
        _tracker = tracker;
        ExperimentId = experimentId;
        RunId = runId;
        _artifactUri = artifactUri;
    }

    public string RunId { get; }

    public string ExperimentId { get; }

    public async Task LogParametersAsync(IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        KeyValuePair<string, string>[] items = parameters.ToArray();
        foreach ((string key, string value) in items)
        {
            TrackingKeys.Validate(key, "parameter");
            TrackingKeys.ValidateParameterValue(key, value);
        }

        foreach (KeyValuePair<string, string>[] chunk in items.Chunk(MlflowRestJson.MaxParametersPerBatch))
        {
            await LogBatchAsync([], chunk, [], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task LogMetricsAsync(IEnumerable<MetricPoint> metrics, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        MetricPoint[] points = metrics.ToArray();
        foreach (MetricPoint point in points)
        {
            TrackingKeys.Validate(point.Key, "metric");
        }

        foreach (MetricPoint[] chunk in points.Chunk(MlflowRestJson.MaxMetricsPerBatch))
        {
            await LogBatchAsync(chunk, [], [], cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SetTagsAsync(IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tags);
        KeyValuePair<string, string>[] items = tags.ToArray();
        foreach ((string key, string value) in items)
        {
            TrackingKeys.Validate(key, "tag");
            ArgumentNullException.ThrowIfNull(value);
        }

        foreach (KeyValuePair<string, string>[] chunk in items.Chunk(MlflowRestJson.MaxTagsPerBatch))
        {
            await LogBatchAsync([], [], chunk, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task LogArtifactAsync(string localPath, string? artifactDirectory = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(localPath);
        if (!File.Exists(localPath))
        {
            throw new FileNotFoundException($"The artifact '{localPath}' does not exist.", localPath);
        }

        if (!string.IsNullOrEmpty(artifactDirectory))
        {
            TrackingKeys.Validate(artifactDirectory, "artifact path");
        }

        string root = ArtifactRoot();
        string name = Path.GetFileName(localPath);
        string relative = string.IsNullOrEmpty(artifactDirectory) ? $"{root}/{name}" : $"{root}/{artifactDirectory}/{name}";
        await _tracker.PutArtifactAsync(relative, localPath, cancellationToken).ConfigureAwait(false);
    }

    public async Task EndAsync(RunStatus status, CancellationToken cancellationToken = default)
    {
        if (status == RunStatus.Running || !Enum.IsDefined(status))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "A run ends as Finished, Failed or Killed.");
        }

        using System.Text.Json.JsonDocument ignored = await _tracker.PostAsync("runs/update", MlflowRestJson.UpdateRun(RunId, status, TrackingKeys.ToUnixMilliseconds(DateTimeOffset.UtcNow)), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _ended, 1);
    }

    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _ended) == 0)
        {
            try
            {
                await EndAsync(RunStatus.Killed).ConfigureAwait(false);
            }
            catch (ExperimentTrackingException)
            {
                // Disposal must not throw; the server keeps the run as RUNNING, which its UI shows.
            }
        }
    }

    /// <summary>The path of the run's artifact folder under the server's artifact proxy, from the run's <c>artifact_uri</c>.</summary>
    private string ArtifactRoot()
    {
        if (_artifactUri is null || !_artifactUri.StartsWith(ArtifactScheme, StringComparison.Ordinal))
        {
            throw new ExperimentTrackingException($"Run {RunId} stores artifacts at '{_artifactUri}', which only the server can write; start the MLflow server with --serve-artifacts (artifact URIs 'mlflow-artifacts:/...') to upload through it.");
        }

        string path = _artifactUri[ArtifactScheme.Length..];
        if (path.StartsWith("//", StringComparison.Ordinal))
        {
            // mlflow-artifacts://host:port/path: drop the authority.
            int slash = path.IndexOf('/', 2);
            path = slash < 0 ? string.Empty : path[slash..];
        }

        return path.Trim('/');
    }

    private async Task LogBatchAsync(IReadOnlyList<MetricPoint> metrics, IReadOnlyList<KeyValuePair<string, string>> parameters, IReadOnlyList<KeyValuePair<string, string>> tags, CancellationToken cancellationToken)
    {
        using System.Text.Json.JsonDocument ignored = await _tracker.PostAsync("runs/log-batch", MlflowRestJson.LogBatch(RunId, metrics, parameters, tags), cancellationToken).ConfigureAwait(false);
    }
}
