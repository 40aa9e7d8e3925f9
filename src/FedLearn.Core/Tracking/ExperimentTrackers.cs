namespace FedLearn.Tracking;

/// <summary>Opens the tracker a command line or configuration names.</summary>
public static class ExperimentTrackers
{
    /// <summary>
    /// An <see cref="MlflowRestTracker"/> for an <c>http://</c> or <c>https://</c> URL, otherwise an
    /// <see cref="MlflowFileStore"/> in the folder <paramref name="target"/> (a <c>file://</c> URI is taken as its path).
    /// </summary>
    /// <param name="target">A folder, a <c>file://</c> URI, or the URL of an MLflow tracking server.</param>
    /// <param name="httpClient">The client for a tracking server; <c>null</c> creates one that lives as long as the process.</param>
    /// <exception cref="ArgumentException"><paramref name="target"/> is empty.</exception>
    public static IExperimentTracker Open(string target, HttpClient? httpClient = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(target);
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return new MlflowRestTracker(httpClient ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, new Uri(target));
        }

        return new MlflowFileStore(target.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(target).LocalPath : target);
    }
}
