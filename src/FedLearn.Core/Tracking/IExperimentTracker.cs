namespace FedLearn.Tracking;

/// <summary>
/// Where a federation's configuration, per-round metrics and artifacts are recorded: an MLflow file store on disk
/// (<see cref="MlflowFileStore"/>, the embedded default) or an MLflow tracking server (<see cref="MlflowRestTracker"/>).
/// <see cref="ExperimentTrackers.Open"/> picks one from a folder or an http(s) URL.
/// </summary>
/// <remarks>Implementations are thread-safe: several runs may be started and written at once.</remarks>
public interface IExperimentTracker
{
    /// <summary>
    /// Starts a run in the experiment named <paramref name="experimentName"/>, creating the experiment when it does
    /// not exist yet. The run is <see cref="RunStatus.Running"/> until <see cref="IExperimentRun.EndAsync"/>.
    /// </summary>
    /// <param name="experimentName">The experiment (not empty).</param>
    /// <param name="runName">A display name for the run; <c>null</c> leaves it unnamed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ExperimentTrackingException">The store or the server refused the request.</exception>
    Task<IExperimentRun> StartRunAsync(string experimentName, string? runName = null, CancellationToken cancellationToken = default);
}
