using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using FedLearn.Deployment.Tests.TestSupport;
using FedLearn.Transport.Grpc.Security;
using NUnit.Framework;

namespace FedLearn.Deployment.Tests.Exposition;

/// <summary>
/// Runs the real server app (mutual TLS, its own management port) with one real client for one round, scrapes its
/// /metrics the way Prometheus does and checks the exposition with <c>promtool check metrics</c>.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class ServerScrapeTests
{
    private static readonly TimeSpan RoundDeadline = TimeSpan.FromSeconds(120);

    private string _directory = null!;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fedlearn-scrape-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public async Task The_metrics_of_a_server_that_ran_a_round_pass_promtool_and_match_the_exported_names()
    {
        DevelopmentCertificates certificates = FederationCertificates.CreateDevelopmentSet(Path.Combine(_directory, "certs"), ["localhost"], ["client-0"], TimeSpan.FromDays(1));
        int grpcPort = FreePort();
        int managementPort = FreePort();

        // Many rounds so the server is still up (and scrapable) after the first one; the test stops it. With a privacy
        // budget, as the Kubernetes base runs it.
        using AppProcess server = AppProcess.Start("server", SampleApps.ServerAssembly,
            "--clients", "1", "--min-clients", "1", "--rounds", "1000", "--threads", "1", "--target-epsilon", "8",
            "--tracking", Path.Combine(_directory, "mlruns"),
            "--port", Text(grpcPort), "--management-port", Text(managementPort),
            "--certificate", certificates.ServerCertificatePath, "--key", certificates.ServerKeyPath, "--ca-certificate", certificates.CaCertificatePath);
        using AppProcess client = AppProcess.Start("client", SampleApps.ClientAssembly,
            "--client-id", "client-0", "--client-index", "0", "--clients", "1", "--train-subset", "1000", "--threads", "1",
            "--server", $"https://localhost:{Text(grpcPort)}", "--management-port", "0",
            "--certificate", certificates.ClientCertificatePath("client-0"), "--key", certificates.ClientKeyPath("client-0"), "--ca-certificate", certificates.CaCertificatePath);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var metricsUri = new Uri($"http://localhost:{Text(managementPort)}/metrics");
        string body = await ScrapeAfterFirstRoundAsync(http, metricsUri, server, client);

        string[] families = FamiliesOf(body);
        Assert.Multiple(() =>
        {
            Assert.That(families, Has.Some.StartsWith("fedlearn_round_"), "no round metrics:\n" + body);
            Assert.That(families, Has.Some.StartsWith("fedlearn_transport_"), "no transport metrics:\n" + body);
            Assert.That(families, Has.Some.StartsWith("dotnet_gc_"), "no .NET runtime metrics:\n" + body);
            Assert.That(families, Has.Some.StartsWith("http_server_request_duration"), "no ASP.NET Core request metrics:\n" + body);
            Assert.That(families, Has.Member("fedlearn_privacy_epsilon"), "no privacy budget metric under --target-epsilon:\n" + body);

            // The client's own training loss, per client: the series the Training Overview's per-client panels query.
            Assert.That(Samples(body, "fedlearn_client_training_loss").Where(s => s.Contains("client_id=\"client-0\"", StringComparison.Ordinal)), Has.Exactly(1).Items, "no per-client training loss for client-0:\n" + body);
            System.Text.RegularExpressions.Match trained = System.Text.RegularExpressions.Regex.Match(client.Log, @"partition 0 of 1 \((\d+) training");
            Assert.That(trained.Success, Is.True, "the client logs its partition:\n" + client.Log);
            Assert.That(Samples(body, "fedlearn_client_training_examples").Where(s => s.Contains("client_id=\"client-0\"", StringComparison.Ordinal)).Select(ValueOf), Is.EqualTo(new[] { double.Parse(trained.Groups[1].Value, CultureInfo.InvariantCulture) }), "the training examples client-0 reported: its partition's training part");
        });

        // The run is recorded in the MLflow file store: the settings as parameters.
        string[] roundsParameters = Directory.GetFiles(Path.Combine(_directory, "mlruns"), "rounds", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(Path.GetDirectoryName(path)) == "params").ToArray();
        Assert.That(roundsParameters, Has.Length.EqualTo(1), "the server did not record its run in mlruns/");
        Assert.That(File.ReadAllText(roundsParameters[0]).Trim(), Is.EqualTo("1000"));

        (int exitCode, string output, string error) = Tool.Run("promtool", _directory, body, "check", "metrics");
        Assert.That(exitCode, Is.Zero, $"promtool check metrics failed:\n{output}{error}");
        Assert.That(output + error, Does.Not.Contain("error").IgnoreCase, "promtool reported errors");

        // The names the dashboard test derives from the instruments must be the names the exporter really writes.
        string[] unexplained = SeriesOf(body).Where(s => !ExportedMetrics.SeriesNames.Contains(s) && s is not ("target_info" or "otel_scope_info")).ToArray();
        Assert.That(unexplained, Is.Empty, "scraped series the derived list of exported names lacks (the dashboards test would reject queries of them)");

        using HttpResponseMessage health = await http.GetAsync(new Uri($"http://localhost:{Text(managementPort)}/healthz"));
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>
    /// Polls /metrics until the server has counted a finished round and published the privacy budget, then returns a
    /// fresh scrape. The two are recorded at different points of a round's end (the round count by the server loop,
    /// ε by the privacy observer after its accounting), so a scrape can fall between them; a server that never
    /// publishes ε fails here at the deadline with the last scrape.
    /// </summary>
    private static async Task<string> ScrapeAfterFirstRoundAsync(HttpClient http, Uri metricsUri, AppProcess server, AppProcess client)
    {
        var clock = Stopwatch.StartNew();
        string last = string.Empty;
        while (clock.Elapsed < RoundDeadline)
        {
            foreach (AppProcess app in new[] { server, client }.Where(a => a.HasExited))
            {
                Assert.Fail($"The {app.Name} exited before the first round finished.\nserver:\n{server.Log}\nclient:\n{client.Log}");
            }

            try
            {
                last = await http.GetStringAsync(metricsUri);
                string[] families = FamiliesOf(last);
                if (families.Contains("fedlearn_round_count_total") && families.Contains("fedlearn_privacy_epsilon"))
                {
                    TestContext.Out.WriteLine($"first round counted and its privacy budget published after {clock.Elapsed.TotalSeconds:F1} s");
                    return await http.GetStringAsync(metricsUri);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(500);
        }

        Assert.Fail($"No finished round with its privacy budget published within {RoundDeadline.TotalSeconds} s. Last scrape:\n{last}\nserver:\n{server.Log}\nclient:\n{client.Log}");
        return last;
    }

    /// <summary>The metric families a text exposition declares (its # TYPE lines).</summary>
    private static string[] FamiliesOf(string exposition) =>
        exposition.Split('\n').Where(l => l.StartsWith("# TYPE ", StringComparison.Ordinal)).Select(l => l.Split(' ')[2]).Distinct().ToArray();

    /// <summary>The sample lines of one series name.</summary>
    private static string[] Samples(string exposition, string series) =>
        exposition.Split('\n').Where(l => l.StartsWith(series + "{", StringComparison.Ordinal) || l.StartsWith(series + " ", StringComparison.Ordinal)).ToArray();

    /// <summary>The value of a sample line (<c>name{labels} value [timestamp]</c>).</summary>
    private static double ValueOf(string sample) =>
        double.Parse(sample[(sample.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The series names of an exposition's samples.</summary>
    private static string[] SeriesOf(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l[..l.IndexOfAny(['{', ' '])]).Distinct().Order(StringComparer.Ordinal).ToArray();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
