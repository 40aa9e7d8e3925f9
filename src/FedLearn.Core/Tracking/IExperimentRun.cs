namespace FedLearn.Tracking;

/// <summary>
/// One tracked run: parameters (written once), metrics (time series by step), tags and artifacts. Keys are MLflow
/// keys: letters, digits, <c>_ - . /</c> and spaces, at most 250 characters, never <c>..</c> or a leading <c>/</c>.
/// </summary>
/// <remarks>
/// Thread-safe. Disposing a run that was not ended with <see cref="EndAsync"/> ends it as <see cref="RunStatus.Killed"/>,
/// so an abandoned run never stays <see cref="RunStatus.Running"/>.
/// </remarks>
public interface IExperimentRun : IAsyncDisposable
{
    /// <summary>The run's id (32 lower-case hex digits in the file store; the server's id over REST).</summary>
    string RunId { get; }

    /// <summary>The id of the experiment the run belongs to.</summary>
    string ExperimentId { get; }

    /// <summary>
    /// Records parameters. A parameter keeps its first value: logging the same key again with another value throws.
    /// An empty sequence does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not a valid MLflow key, or a value is longer than 6000 characters.</exception>
    /// <exception cref="ExperimentTrackingException">A parameter already has another value, or the server refused the request.</exception>
    Task LogParametersAsync(IEnumerable<KeyValuePair<string, string>> parameters, CancellationToken cancellationToken = default);

    /// <summary>Appends metric values (any number per key, usually one per step). An empty sequence does nothing.</summary>
    /// <exception cref="ArgumentException">A key is not a valid MLflow key.</exception>
    /// <exception cref="ExperimentTrackingException">The store or the server refused the request.</exception>
    Task LogMetricsAsync(IEnumerable<MetricPoint> metrics, CancellationToken cancellationToken = default);

    /// <summary>Sets tags; a tag set again takes the new value. An empty sequence does nothing.</summary>
    /// <exception cref="ArgumentException">A key is not a valid MLflow key.</exception>
    /// <exception cref="ExperimentTrackingException">The store or the server refused the request.</exception>
    Task SetTagsAsync(IEnumerable<KeyValuePair<string, string>> tags, CancellationToken cancellationToken = default);

    /// <summary>Copies the file <paramref name="localPath"/> into the run's artifacts, under <paramref name="artifactDirectory"/> when given.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ExperimentTrackingException">The store or the server refused the upload.</exception>
    Task LogArtifactAsync(string localPath, string? artifactDirectory = null, CancellationToken cancellationToken = default);

    /// <summary>Ends the run with <paramref name="status"/> (not <see cref="RunStatus.Running"/>) and the current time.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="status"/> is <see cref="RunStatus.Running"/>.</exception>
    /// <exception cref="ExperimentTrackingException">The store or the server refused the request.</exception>
    Task EndAsync(RunStatus status, CancellationToken cancellationToken = default);
}
