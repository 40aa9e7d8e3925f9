using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FedLearn.Tracking;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Tracking;

/// <summary>
/// Runs the REST client against a small MLflow stand-in on the loopback interface that records every request and
/// answers as the MLflow REST API 2.0 documents it.
/// </summary>
[TestFixture]
public sealed class MlflowRestTrackerTests
{
    private FakeMlflowServer _server = null!;
    private HttpClient _http = null!;

    [SetUp]
    public void SetUp()
    {
        _server = new FakeMlflowServer();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
    }

    [TearDown]
    public void TearDown()
    {
        _http.Dispose();
        _server.Dispose();
    }

    [Test]
    public async Task A_run_creates_the_missing_experiment_then_logs_in_batches_uploads_and_ends()
    {
        var tracker = new MlflowRestTracker(_http, _server.BaseUri);
        IExperimentRun run = await tracker.StartRunAsync("fashion-mnist", "softmax-iid");
        await run.LogParametersAsync(Enumerable.Range(0, 150).Select(i => new KeyValuePair<string, string>($"p{i}", $"v{i}")));
        DateTimeOffset at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        await run.LogMetricsAsync(Enumerable.Range(1, 1500).Select(i => new MetricPoint("central_accuracy", i / 2000.0, i, at)));
        await run.SetTagsAsync([new("fedlearn.partition", "iid")]);
        string model = Path.Combine(Path.GetTempPath(), "fedlearn-rest-" + Guid.NewGuid().ToString("N") + ".safetensors");
        await File.WriteAllBytesAsync(model, [9, 8, 7]);
        try
        {
            await run.LogArtifactAsync(model, "model");
        }
        finally
        {
            File.Delete(model);
        }

        await run.EndAsync(RunStatus.Finished);

        RecordedRequest[] requests = _server.Requests.ToArray();
        Assert.That(requests.Select(r => $"{r.Method} {r.Path}"), Is.EqualTo(new[]
        {
            "GET /api/2.0/mlflow/experiments/get-by-name",
            "POST /api/2.0/mlflow/experiments/create",
            "POST /api/2.0/mlflow/runs/create",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            "POST /api/2.0/mlflow/runs/log-batch",
            $"PUT /api/2.0/mlflow-artifacts/artifacts/7/run-abc/artifacts/model/{Path.GetFileName(model)}",
            "POST /api/2.0/mlflow/runs/update",
        }));
        Assert.That(requests[0].Query, Is.EqualTo("?experiment_name=fashion-mnist"));
        Assert.That(requests[1].Json.GetProperty("name").GetString(), Is.EqualTo("fashion-mnist"));

        JsonElement create = requests[2].Json;
        Assert.That(create.GetProperty("experiment_id").GetString(), Is.EqualTo("7"));
        Assert.That(create.GetProperty("run_name").GetString(), Is.EqualTo("softmax-iid"));
        Assert.That(create.GetProperty("start_time").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(create.GetProperty("tags").EnumerateArray().Select(t => (t.GetProperty("key").GetString(), t.GetProperty("value").GetString())), Does.Contain(("mlflow.runName", "softmax-iid")));

        // Parameters: at most 100 per request.
        Assert.That(requests[3].Json.GetProperty("run_id").GetString(), Is.EqualTo("run-abc"));
        Assert.That(requests[3].Json.GetProperty("params").GetArrayLength(), Is.EqualTo(100));
        Assert.That(requests[4].Json.GetProperty("params").GetArrayLength(), Is.EqualTo(50));
        JsonElement firstParam = requests[3].Json.GetProperty("params")[0];
        Assert.That((firstParam.GetProperty("key").GetString(), firstParam.GetProperty("value").GetString()), Is.EqualTo(("p0", "v0")));

        // Metrics: at most 1000 per request, each with key, value, timestamp (ms) and step.
        Assert.That(requests[5].Json.GetProperty("metrics").GetArrayLength(), Is.EqualTo(1000));
        Assert.That(requests[6].Json.GetProperty("metrics").GetArrayLength(), Is.EqualTo(500));
        Assert.That(requests[5].Json.TryGetProperty("params", out _), Is.False);
        JsonElement metric = requests[6].Json.GetProperty("metrics")[0];
        Assert.That(metric.GetProperty("key").GetString(), Is.EqualTo("central_accuracy"));
        Assert.That(metric.GetProperty("value").GetDouble(), Is.EqualTo(1001 / 2000.0));
        Assert.That(metric.GetProperty("timestamp").GetInt64(), Is.EqualTo(1_700_000_000_000));
        Assert.That(metric.GetProperty("step").GetInt64(), Is.EqualTo(1001));

        Assert.That(requests[7].Json.GetProperty("tags")[0].GetProperty("key").GetString(), Is.EqualTo("fedlearn.partition"));
        Assert.That(requests[8].Body, Is.EqualTo(new byte[] { 9, 8, 7 }));

        JsonElement update = requests[9].Json;
        Assert.That(update.GetProperty("run_id").GetString(), Is.EqualTo("run-abc"));
        Assert.That(update.GetProperty("status").GetString(), Is.EqualTo("FINISHED"));
        Assert.That(update.GetProperty("end_time").GetInt64(), Is.GreaterThanOrEqualTo(create.GetProperty("start_time").GetInt64()));
    }

    [Test]
    public async Task An_existing_experiment_is_reused_and_not_created_again()
    {
        _server.ExistingExperiments["fedlearn"] = "3";
        var tracker = new MlflowRestTracker(_http, new Uri(_server.BaseUri.AbsoluteUri.TrimEnd('/')));

        IExperimentRun run = await tracker.StartRunAsync("fedlearn");

        Assert.That(run.ExperimentId, Is.EqualTo("3"));
        Assert.That(_server.Requests.Select(r => r.Path), Is.EqualTo(new[] { "/api/2.0/mlflow/experiments/get-by-name", "/api/2.0/mlflow/runs/create" }));
        Assert.That(_server.Requests.Last().Json.TryGetProperty("run_name", out _), Is.False);
    }

    [Test]
    public async Task A_refusal_names_the_call_the_status_and_the_servers_error()
    {
        var tracker = new MlflowRestTracker(_http, _server.BaseUri);
        IExperimentRun run = await tracker.StartRunAsync("fedlearn");
        _server.RefuseLogBatch = true;

        var exception = Assert.ThrowsAsync<ExperimentTrackingException>(() => run.LogMetricsAsync([MetricPoint.Now("loss", 1, 1)]));

        Assert.That(exception!.Message, Does.Contain("runs/log-batch").And.Contain("400").And.Contain("INVALID_PARAMETER_VALUE"));
    }

    [Test]
    public async Task Non_finite_values_are_sent_in_the_protobuf_json_spelling()
    {
        IExperimentRun run = await new MlflowRestTracker(_http, _server.BaseUri).StartRunAsync("fedlearn");
        await run.LogMetricsAsync([MetricPoint.Now("a", double.NaN, 1), MetricPoint.Now("b", double.PositiveInfinity, 1)]);

        JsonElement metrics = _server.Requests.Last().Json.GetProperty("metrics");
        Assert.That(metrics[0].GetProperty("value").GetString(), Is.EqualTo("NaN"));
        Assert.That(metrics[1].GetProperty("value").GetString(), Is.EqualTo("Infinity"));
    }

    [Test]
    public void Only_http_and_https_uris_are_accepted()
    {
        var exception = Assert.Throws<ArgumentException>(() => new MlflowRestTracker(_http, new Uri("file:///tmp/mlruns")));
        Assert.That(exception!.Message, Does.Contain("file:///tmp/mlruns"));
    }

    private sealed record RecordedRequest(string Method, string Path, string Query, byte[] Body)
    {
        public JsonElement Json => JsonDocument.Parse(Body).RootElement;
    }

    /// <summary>Answers the calls the client makes, as MLflow's REST API documents them, and records each request.</summary>
    private sealed class FakeMlflowServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _loop;

        public FakeMlflowServer()
        {
            // A free loopback port: bind port 0, read the port, release it for the listener.
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                BaseUri = new Uri($"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/");
            }

            _listener.Prefixes.Add(BaseUri.AbsoluteUri);
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public Uri BaseUri { get; }

        public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

        public ConcurrentDictionary<string, string> ExistingExperiments { get; } = new();

        public volatile bool RefuseLogBatch;

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _loop.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                var request = new RecordedRequest(context.Request.HttpMethod, context.Request.Url!.AbsolutePath, context.Request.Url.Query, body.ToArray());
                Requests.Enqueue(request);
                (int status, string json) = Answer(request);
                byte[] bytes = Encoding.UTF8.GetBytes(json);
                context.Response.StatusCode = status;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        private (int Status, string Json) Answer(RecordedRequest request)
        {
            switch (request.Path)
            {
                case "/api/2.0/mlflow/experiments/get-by-name":
                    string name = Uri.UnescapeDataString(request.Query["?experiment_name=".Length..]);
                    return ExistingExperiments.TryGetValue(name, out string? id)
                        ? (200, $$$"""{"experiment":{"experiment_id":"{{{id}}}","name":"{{{name}}}","lifecycle_stage":"active"}}""")
                        : (404, """{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"Could not find experiment"}""");
                case "/api/2.0/mlflow/experiments/create":
                    return (200, """{"experiment_id":"7"}""");
                case "/api/2.0/mlflow/runs/create":
                    string experiment = request.Json.GetProperty("experiment_id").GetString()!;
                    return (200, $$$$"""{"run":{"info":{"run_id":"run-abc","run_uuid":"run-abc","experiment_id":"{{{{experiment}}}}","status":"RUNNING","artifact_uri":"mlflow-artifacts:/{{{{experiment}}}}/run-abc/artifacts","lifecycle_stage":"active"},"data":{}}}""");
                case "/api/2.0/mlflow/runs/log-batch":
                    return RefuseLogBatch
                        ? (400, """{"error_code":"INVALID_PARAMETER_VALUE","message":"bad batch"}""")
                        : (200, "{}");
                case "/api/2.0/mlflow/runs/update":
                    return (200, """{"run_info":{"run_id":"run-abc","status":"FINISHED"}}""");
                default:
                    return request.Method == "PUT" && request.Path.StartsWith("/api/2.0/mlflow-artifacts/artifacts/", StringComparison.Ordinal)
                        ? (200, "{}")
                        : (404, """{"error_code":"ENDPOINT_NOT_FOUND"}""");
            }
        }
    }
}
