using System.Globalization;

namespace FedLearn.Tracking;

/// <summary>
/// Writes runs in MLflow's file-store layout, so <c>mlflow ui --backend-store-uri &lt;folder&gt;</c> shows them:
/// <c>&lt;root&gt;/&lt;experiment id&gt;/meta.yaml</c>, and per run <c>&lt;run id&gt;/meta.yaml</c>, <c>params/&lt;key&gt;</c>
/// (the value), <c>metrics/&lt;key&gt;</c> (lines of <c>timestamp value step</c>, the time in Unix milliseconds),
/// <c>tags/&lt;key&gt;</c> and <c>artifacts/</c>. The store needs no server: it is FedLearn's embedded default.
/// </summary>
/// <remarks>
/// Thread-safe within one process. Experiments are found by the <c>name</c> in their <c>meta.yaml</c>; a new one gets
/// the next free integer id (0 is MLflow's <c>Default</c> experiment, created with the store).
/// </remarks>
public sealed class MlflowFileStore : IExperimentTracker
{
    /// <summary>The id MLflow gives its default experiment.</summary>
    public const string DefaultExperimentId = "0";

    /// <summary>The name MLflow gives its default experiment.</summary>
    public const string DefaultExperimentName = "Default";

    private readonly Lock _gate = new();

    /// <summary>Opens (and creates when missing) the store in <paramref name="rootDirectory"/>, usually a folder named <c>mlruns</c>.</summary>
    /// <exception cref="ArgumentException"><paramref name="rootDirectory"/> is empty.</exception>
    public MlflowFileStore(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        RootDirectory = Path.GetFullPath(rootDirectory);
        Directory.CreateDirectory(RootDirectory);
        Directory.CreateDirectory(Path.Combine(RootDirectory, ".trash"));
        if (!File.Exists(Path.Combine(RootDirectory, DefaultExperimentId, "meta.yaml")))
        {
            WriteExperiment(DefaultExperimentId, DefaultExperimentName);
        }
    }

    /// <summary>The store's folder (absolute).</summary>
    public string RootDirectory { get; }

    /// <inheritdoc />
    public Task<IExperimentRun> StartRunAsync(string experimentName, string? runName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        cancellationToken.ThrowIfCancellationRequested();
        string experimentId = GetOrCreateExperiment(experimentName);
        IExperimentRun run = MlflowFileRun.Create(Path.Combine(RootDirectory, experimentId), experimentId, runName, DateTimeOffset.UtcNow);
        return Task.FromResult(run);
    }

    /// <summary>The id of the experiment named <paramref name="experimentName"/>, creating it when it does not exist.</summary>
    public string GetOrCreateExperiment(string experimentName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        lock (_gate)
        {
            long highest = 0;
            foreach (string directory in Directory.EnumerateDirectories(RootDirectory))
            {
                string id = Path.GetFileName(directory);
                string meta = Path.Combine(directory, "meta.yaml");
                if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || !File.Exists(meta))
                {
                    continue;
                }

                highest = Math.Max(highest, number);
                if (MlflowYaml.ReadScalar(File.ReadAllText(meta), "name") == experimentName)
                {
                    return id;
                }
            }

            string newId = (highest + 1).ToString(CultureInfo.InvariantCulture);
            WriteExperiment(newId, experimentName);
            return newId;
        }
    }

    private void WriteExperiment(string id, string name)
    {
        string directory = Path.Combine(RootDirectory, id);
        Directory.CreateDirectory(directory);
        long now = TrackingKeys.ToUnixMilliseconds(DateTimeOffset.UtcNow);
        File.WriteAllText(Path.Combine(directory, "meta.yaml"), MlflowYaml.Write(new Dictionary<string, object>
        {
            ["artifact_location"] = new Uri(directory).AbsoluteUri,
            ["creation_time"] = now,
            ["experiment_id"] = id,
            ["last_update_time"] = now,
            ["lifecycle_stage"] = "active",
            ["name"] = name,
        }));
    }
}
