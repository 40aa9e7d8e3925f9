using System.Net;
using System.Text;
using System.Text.Json;

namespace FedLearn.Tracking;

/// <summary>
/// Records runs on an MLflow tracking server through its REST API (version 2.0): experiments are found with
/// <c>experiments/get-by-name</c> and created with <c>experiments/create</c>; runs are started with <c>runs/create</c>,
/// written with <c>runs/log-batch</c> (split into MLflow's per-request limits) and ended with <c>runs/update</c>.
/// Artifacts are uploaded to the server's artifact proxy (<c>mlflow-artifacts</c>, a server started with
/// <c>--serve-artifacts</c>, the default since MLflow 2).
/// </summary>
/// <remarks>Thread-safe. The <see cref="HttpClient"/> belongs to the caller, who sets its timeout and authentication headers.</remarks>
public sealed class MlflowRestTracker : IExperimentTracker
{
    private readonly HttpClient _http;

    /// <summary>Creates a client of the tracking server at <paramref name="trackingUri"/> (for example <c>http://mlflow:5000</c>).</summary>
    /// <exception cref="ArgumentException"><paramref name="trackingUri"/> is not an absolute http or https URI.</exception>
    public MlflowRestTracker(HttpClient httpClient, Uri trackingUri)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(trackingUri);
        if (!trackingUri.IsAbsoluteUri || (trackingUri.Scheme != Uri.UriSchemeHttp && trackingUri.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The tracking URI '{trackingUri}' is not an absolute http or https URI.", nameof(trackingUri));
        }

        _http = httpClient;
        string text = trackingUri.AbsoluteUri;
        TrackingUri = new Uri(text.EndsWith('/') ? text : text + "/");
    }

    /// <summary>The server's base URI (ending in <c>/</c>).</summary>
    public Uri TrackingUri { get; }

    /// <inheritdoc />
    public async Task<IExperimentRun> StartRunAsync(string experimentName, string? runName = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        string experimentId = await GetOrCreateExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false);
        long now = TrackingKeys.ToUnixMilliseconds(DateTimeOffset.UtcNow);
        var tags = new List<KeyValuePair<string, string>> { new("mlflow.source.type", "LOCAL") };
        if (runName is not null)
        {
            tags.Add(new("mlflow.runName", runName));
        }

        using JsonDocument response = await PostAsync("runs/create", MlflowRestJson.CreateRun(experimentId, runName, now, tags), cancellationToken).ConfigureAwait(false);
        JsonElement info = response.RootElement.GetProperty("run").GetProperty("info");
        string runId = info.GetProperty("run_id").GetString() ?? throw new ExperimentTrackingException("runs/create answered without a run_id.");
        string? artifactUri = info.TryGetProperty("artifact_uri", out JsonElement artifact) ? artifact.GetString() : null;
        return new MlflowRestRun(this, experimentId, runId, artifactUri);
    }

    /// <summary>The id of the experiment named <paramref name="experimentName"/>, creating it when the server has none.</summary>
    public async Task<string> GetOrCreateExperimentAsync(string experimentName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(experimentName);
        string? id = await FindExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false);
        if (id is not null)
        {
            return id;
        }

        try
        {
            using JsonDocument created = await PostAsync("experiments/create", MlflowRestJson.CreateExperiment(experimentName), cancellationToken).ConfigureAwait(false);
            return created.RootElement.GetProperty("experiment_id").GetString() ?? throw new ExperimentTrackingException("experiments/create answered without an experiment_id.");
        }
        catch (ExperimentTrackingException exception) when (exception.Message.Contains("RESOURCE_ALREADY_EXISTS", StringComparison.Ordinal))
        {
            // Another process created it between the two calls.
            return await FindExperimentAsync(experimentName, cancellationToken).ConfigureAwait(false)
                ?? throw new ExperimentTrackingException($"Experiment '{experimentName}' exists according to experiments/create but experiments/get-by-name does not find it.", exception);
        }
    }

    internal async Task<JsonDocument> PostAsync(string method, byte[] body, CancellationToken cancellationToken)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using HttpResponseMessage response = await SendAsync(HttpMethod.Post, ApiUri(method), content, method, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, method, cancellationToken).ConfigureAwait(false);
    }

    internal async Task PutArtifactAsync(string relativePath, string localPath, CancellationToken cancellationToken)
    {
        await using FileStream file = File.OpenRead(localPath);
        using var content = new StreamContent(file);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        string escaped = string.Join('/', relativePath.Split('/').Select(Uri.EscapeDataString));
        using HttpResponseMessage response = await SendAsync(HttpMethod.Put, new Uri(TrackingUri, "api/2.0/mlflow-artifacts/artifacts/" + escaped), content, "mlflow-artifacts upload", cancellationToken).ConfigureAwait(false);
        using JsonDocument ignored = await ReadAsync(response, "mlflow-artifacts upload", cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> FindExperimentAsync(string experimentName, CancellationToken cancellationToken)
    {
        var uri = new Uri(ApiUri("experiments/get-by-name"), "?experiment_name=" + Uri.EscapeDataString(experimentName));
        using HttpResponseMessage response = await SendAsync(HttpMethod.Get, uri, null, "experiments/get-by-name", cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        using JsonDocument document = await ReadAsync(response, "experiments/get-by-name", cancellationToken).ConfigureAwait(false);
        return document.RootElement.GetProperty("experiment").GetProperty("experiment_id").GetString();
    }

    private Uri ApiUri(string method) => new(TrackingUri, "api/2.0/mlflow/" + method);

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, HttpContent? content, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, uri) { Content = content };
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new ExperimentTrackingException($"MLflow {what} at {uri} failed: {exception.Message}", exception);
        }
    }

    private static async Task<JsonDocument> ReadAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            string text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 2000));
            throw new ExperimentTrackingException($"MLflow {what} answered {(int)response.StatusCode} {response.ReasonPhrase}: {text}");
        }

        try
        {
            return JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body);
        }
        catch (JsonException exception)
        {
            throw new ExperimentTrackingException($"MLflow {what} answered with a body that is not JSON: {exception.Message}", exception);
        }
    }
}
