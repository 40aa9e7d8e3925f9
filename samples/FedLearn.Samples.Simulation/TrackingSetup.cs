using System.Globalization;
using System.Text.Json;
using FedLearn.Server;
using FedLearn.Tracking;

namespace FedLearn.Samples.Simulation;

/// <summary>
/// Records a simulation run with an experiment tracker (--tracking): an MLflow file store in a folder, or an MLflow
/// tracking server at an http(s) URL. Logs every setting as a parameter, each round's metrics as the run goes, then the
/// numbers of summary.json (final accuracy, compression ratio, ε when the run reports one, ...) and the final model,
/// summary and plots as artifacts.
/// </summary>
internal sealed class TrackingSetup : IAsyncDisposable
{
    /// <summary>The MLflow experiment the simulation's runs go to.</summary>
    public const string ExperimentName = "fedlearn-simulation";

    private readonly IExperimentRun _run;
    private readonly TrackingRoundObserver _observer;

    private TrackingSetup(IExperimentRun run)
    {
        _run = run;
        _observer = new TrackingRoundObserver(run);
    }

    /// <summary>Writes each round's metrics to the run.</summary>
    public IRoundObserver Observer => _observer;

    /// <summary>Where the run is, for the console.</summary>
    public string Description => $"experiment '{ExperimentName}', run {_run.RunId}";

    /// <summary>Starts a run when <see cref="SimulationSettings.Tracking"/> is set; <c>null</c> otherwise.</summary>
    public static async Task<TrackingSetup?> StartAsync(SimulationSettings settings, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(settings.Tracking))
        {
            return null;
        }

        IExperimentTracker tracker = ExperimentTrackers.Open(settings.Tracking);
        IExperimentRun run = await tracker.StartRunAsync(ExperimentName, Path.GetFileName(Path.GetFullPath(settings.Output)), cancellationToken).ConfigureAwait(false);
        try
        {
            await run.LogParametersAsync(Parameters(settings), cancellationToken).ConfigureAwait(false);
            await run.SetTagsAsync([new("fedlearn.sample", "simulation"), new("fedlearn.model", settings.Model)], cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await run.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new TrackingSetup(run);
    }

    /// <summary>Logs the summary's numbers and the output files, then ends the run.</summary>
    public async Task FinishAsync(string outputDirectory, int rounds, bool succeeded, CancellationToken cancellationToken)
    {
        await _observer.CompleteAsync(cancellationToken).ConfigureAwait(false);
        string summaryPath = Path.Combine(outputDirectory, "summary.json");
        if (File.Exists(summaryPath))
        {
            using JsonDocument summary = JsonDocument.Parse(await File.ReadAllBytesAsync(summaryPath, cancellationToken).ConfigureAwait(false));
            await _run.LogMetricsAsync(SummaryMetrics(summary.RootElement, rounds), cancellationToken).ConfigureAwait(false);
        }

        foreach ((string file, string? folder) in new[] { ("model.safetensors", "model"), ("summary.json", null), ("rounds.csv", null), ("accuracy.png", null) })
        {
            string path = Path.Combine(outputDirectory, file);
            if (File.Exists(path))
            {
                await _run.LogArtifactAsync(path, folder, cancellationToken).ConfigureAwait(false);
            }
        }

        await _run.EndAsync(succeeded ? RunStatus.Finished : RunStatus.Failed, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _run.DisposeAsync();

    /// <summary>Every setting, keyed as in summary.json's config (snake_case).</summary>
    internal static IEnumerable<KeyValuePair<string, string>> Parameters(SimulationSettings settings)
    {
        foreach (System.Reflection.PropertyInfo property in typeof(SimulationSettings).GetProperties())
        {
            if (property.GetValue(settings) is { } value)
            {
                string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
                yield return new(JsonNamingPolicy.SnakeCaseLower.ConvertName(property.Name), text);
            }
        }
    }

    /// <summary>
    /// The summary's top-level numbers at the last step (final_accuracy, compression_ratio, wall_seconds, epsilon when
    /// present, ...) and, per round, an <c>epsilon</c> the rounds carry (the privacy spent so far).
    /// </summary>
    internal static IEnumerable<MetricPoint> SummaryMetrics(JsonElement summary, int rounds)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        foreach (JsonProperty property in summary.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Number)
            {
                yield return new MetricPoint(property.Name, property.Value.GetDouble(), rounds, now);
            }
        }

        if (summary.TryGetProperty("rounds", out JsonElement rows) && rows.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement row in rows.EnumerateArray())
            {
                if (row.TryGetProperty("epsilon", out JsonElement epsilon) && epsilon.ValueKind == JsonValueKind.Number && row.TryGetProperty("round", out JsonElement round))
                {
                    yield return new MetricPoint("epsilon", epsilon.GetDouble(), round.GetInt64(), now);
                }
            }
        }
    }
}
