using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>
/// The server and client apps with secure aggregation and differential privacy, as separate processes on loopback with
/// mutual TLS: SecAgg+ trains as well as plain FedAvg, DP-SGD clients report the ε they spend and the server reports the
/// same, and settings that cannot work together stop the apps at start-up naming the setting.
/// </summary>
[NonParallelizable]
[Category("Processes")]
public sealed partial class PipelineProcessTests() : AppProcessTest("fedlearn-pipeline-")
{
    [Test]
    public async Task ThreeClientsWithSecAggPlusTrainTwoRoundsToTheAccuracyOfThePlainRun()
    {
        (JsonElement[] plain, _) = await RunFederationAsync("plain", [], []);
        (JsonElement[] secure, _) = await RunFederationAsync("secagg", ["--secure-aggregation", "secagg+:3,2"], ["--secure-aggregation", "secagg+"]);

        Assert.That(secure.Select(r => r.GetProperty("Succeeded").GetBoolean()), Is.All.True);
        Assert.That(secure.Select(r => r.GetProperty("Aggregated").EnumerateArray().Select(e => e.GetString()).Order().ToArray()), Is.All.EqualTo(new[] { "client-0", "client-1", "client-2" }));
        double plainAccuracy = plain[^1].GetProperty("CentralAccuracy").GetDouble();
        double secureAccuracy = secure[^1].GetProperty("CentralAccuracy").GetDouble();
        Assert.That(secure[1].GetProperty("CentralAccuracy").GetDouble(), Is.GreaterThan(secure[0].GetProperty("CentralAccuracy").GetDouble()), "accuracy improves");

        // Same seeds, same partitions, same training: the masked sum differs from the plain one only by the fixed-point
        // quantization (2^22 levels of [−8, 8] per weighted value), far below what moves the test accuracy by a point.
        Assert.That(secureAccuracy, Is.EqualTo(plainAccuracy).Within(0.01), $"plain {plainAccuracy}, secagg+ {secureAccuracy}");
    }

    [Test]
    public async Task ThreeDpSgdClientsReportTheEpsilonTheySpendAndTheServerReportsTheSame()
    {
        const double Target = 8;
        (JsonElement[] rounds, string[] clientOutputs) = await RunFederationAsync("dpsgd", ["--batch-size", "64"], ["--dp", $"sample:eps={Target},delta=1e-5,clip=1"]);

        Assert.That(rounds.Select(r => r.GetProperty("Succeeded").GetBoolean()), Is.All.True);
        double[] epsilons = [.. rounds.Select(r => r.GetProperty("Epsilon").GetDouble())];
        Assert.That(rounds.Select(r => r.GetProperty("Delta").GetDouble()), Is.All.EqualTo(1e-5));
        Assert.That(epsilons[0], Is.GreaterThan(0));
        Assert.That(epsilons[1], Is.GreaterThan(epsilons[0]), "ε grows with every round of DP-SGD");
        Assert.That(epsilons[1], Is.LessThanOrEqualTo(Target * 1.01), "the noise is calibrated to spend the target over the planned rounds");
        Assert.That(rounds[^1].GetProperty("CentralAccuracy").GetDouble(), Is.GreaterThan(0.2), "DP-SGD at ε = 8 still learns (chance is 0.1)");

        // Each client's own accountant (its log and its /metrics gauge) agrees with what the server computed from the
        // noise multiplier and sampling rate the client declared and the steps it reported.
        foreach (string output in clientOutputs)
        {
            double[] reported = [.. SpentPattern().Matches(output).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
            Assert.That(reported, Has.Length.EqualTo(2), output);
            Assert.That(reported[^1], Is.EqualTo(epsilons[^1]).Within(1e-9));
        }
    }

    [Test]
    public async Task AClientConfiguredForSecureAggregationAgainstAServerWithoutItStopsBothNamingTheSetting()
    {
        int port = FreePort.Next();
        using SampleProcess server = StartServer(port, "--rounds", "2", "--clients", "1", "--min-clients", "1");
        await server.WaitForOutputAsync("Now listening on", Patience);
        using SampleProcess client = StartClient(port, 0, "--secure-aggregation", "secagg+");

        Assert.That(await client.WaitForExitAsync(Patience), Is.EqualTo(2), client.Tail());
        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), server.Tail());
        // The logs are JSON: quotes and '+' are escaped there, so the assertions quote around them.
        Assert.That(client.Output, Does.Contain("is configured for secure aggregation").And.Contain("but the server runs without it: set FedLearn:Server:SecureAggregation"));
        Assert.That(server.Output, Does.Contain("settings do not match").And.Contain("FedLearn:Server:SecureAggregation"));
        Assert.That(File.Exists(Path.Combine(WorkDirectory, "out", "summary.json")), Is.False, "no round ran");
    }

    [TestCase("--secure-aggregation secagg+:4,3", "FedLearn:Server:SecureAggregation: --secure-aggregation: SecAggPlusOptions.NumShares: must be odd")]
    [TestCase("--secure-aggregation paillier:2048", "FedLearn:Server:PaillierPublicKey: paillier:2048 needs the federation's public key (--paillier-public-key)")]
    [TestCase("--secure-aggregation paillier:1024", "FedLearn:Server:SecureAggregation: --secure-aggregation: PaillierOptions.KeyBits: must be 2048 or 3072")]
    [TestCase("--secure-aggregation paillier:2048 --paillier-public-key none.json", "FedLearn:Server:PaillierPublicKey: Could not find file")]
    [TestCase("--paillier-public-key keys/none.json", "FedLearn:Server:PaillierPublicKey: a Paillier key is configured (keys/none.json) but secure aggregation is none")]
    [TestCase("--secure-aggregation secagg+:3,2 --compression q:8", "--secure-aggregation needs dense updates")]
    [TestCase("--secure-aggregation secagg+:4 --compression q:8", "FedLearn:Server:SecureAggregation: --secure-aggregation needs dense updates")]
    [TestCase("--secure-aggregation secagg+:3,2 --dp client:noise=1,clip=1", "FedLearn:Server:Dp: --dp client clips and noises each client's update at the server, which secagg+ secure aggregation hides")]
    [TestCase("--secure-aggregation secagg+:3,2 --clients 2 --min-clients 2", "2 clients are too few: secure aggregation needs at least 3")]
    [TestCase("--dp sample:eps=8,delta=1e-5,clip=1", "is DP-SGD, which each client runs on its own records: set FedLearn:Client:Dp")]
    [TestCase("--dp client:noise=1,clip=1 --target-epsilon 4", "FedLearn:Server:Dp and FedLearn:Server:TargetEpsilon both ask for client-level DP")]
    [TestCase("--dp client:noise=1", "missing 'clip'")]
    [TestCase("--lr-schedule linear", "FedLearn:Server:LrSchedule: --lr-schedule must be constant or cosine, got 'linear'.")]
    public async Task TheServerRefusesSettingsThatCannotWorkTogetherAtStartUp(string arguments, string expected)
    {
        using SampleProcess server = StartServer(FreePort.Next(), arguments.Split(' '));

        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), server.Tail());
        Assert.That(server.Output, Does.Contain("error: ").And.Contain(expected));
    }

    [TestCase("--dp client:noise=1,clip=1", "FedLearn:Client:Dp: --dp client:noise=1,clip=1 is client-level DP-FedAvg, which the server runs")]
    [TestCase("--secure-aggregation secagg+ --compression ef,topk:0.01,q:8", "FedLearn:Client:SecureAggregation: --secure-aggregation needs dense updates")]
    [TestCase("--secure-aggregation masks", "--secure-aggregation must be none, secagg+:<shares>,<threshold> or paillier:<bits>, got 'masks'")]
    [TestCase("--dp sample:eps=0,delta=1e-5,clip=1", "eps=0 must be positive")]
    [TestCase("--secure-aggregation paillier:2048", "FedLearn:Client:PaillierSecretKey: paillier:2048 needs the federation's secret key (--paillier-secret-key)")]
    [TestCase("--secure-aggregation paillier:2048 --compression q:8", "FedLearn:Client:SecureAggregation: --secure-aggregation needs dense updates")]
    [TestCase("--max-connect-attempts -1", "FedLearn:Client:MaxConnectAttempts: --max-connect-attempts must be 0 (retry forever) or more, got -1.")]
    public async Task AClientRefusesSettingsThatCannotWorkAtStartUp(string arguments, string expected)
    {
        using SampleProcess client = StartClient(FreePort.Next(), 0, arguments.Split(' '));

        Assert.That(await client.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), client.Tail());
        Assert.That(client.Output, Does.Contain("error: ").And.Contain(expected));
    }

    [Test]
    public async Task AClientThatCannotReachTheServerGivesUpAfterMaxConnectAttemptsNamingIt()
    {
        int port = FreePort.Next();
        using SampleProcess client = StartClient(port, 0, "--max-connect-attempts", "2");

        Assert.That(await client.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1), client.Tail());
        Assert.That(client.Output, Does.Contain($"Could not connect to https://localhost:{port} in 2 attempts in a row"));
    }

    [GeneratedRegex(@"DP-SGD has spent \\u03B5 ([0-9.Ee+-]+) at")]
    private static partial Regex SpentPattern();

    /// <summary>Runs a server and three clients for two rounds; returns the rounds of the server's summary and the clients' output.</summary>
    private async Task<(JsonElement[] Rounds, string[] ClientOutputs)> RunFederationAsync(string name, string[] serverArguments, string[] clientArguments)
    {
        int port = FreePort.Next();
        string output = Path.Combine(WorkDirectory, name);
        using SampleProcess server = StartServer(port, ["--rounds", "2", "--clients", "3", "--min-clients", "3", "--output", output, .. serverArguments]);

        // The clients' management ports are picked by the system: let the server hold its port first.
        await server.WaitForOutputAsync("Now listening on", Patience);
        SampleProcess[] clients = [.. Enumerable.Range(0, 3).Select(i => StartClient(port, i, clientArguments))];
        try
        {
            Assert.That(await server.WaitForExitAsync(Patience), Is.EqualTo(0), server.Tail());
            foreach (SampleProcess client in clients)
            {
                Assert.That(await client.WaitForExitAsync(TimeSpan.FromSeconds(60), server), Is.EqualTo(0), client.Tail());
                Assert.That(client.Output, Does.Contain("the federation finished its rounds"));
            }

            using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "summary.json")));
            return ([.. document.RootElement.GetProperty("Rounds").EnumerateArray().Select(e => e.Clone())], [.. clients.Select(c => c.Output)]);
        }
        finally
        {
            foreach (SampleProcess client in clients)
            {
                client.Dispose();
            }
        }
    }

    private SampleProcess StartServer(int port, params string[] extra) => SampleProcess.Start(
        "FedLearn.Samples.Server",
        WorkDirectory,
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--management-port", "0", "--model", "mlp", "--threads", "1",
            "--certificate", Certificates.ServerCertificatePath, "--key", Certificates.ServerKeyPath, "--ca-certificate", Certificates.CaCertificatePath,
            "--output", Path.Combine(WorkDirectory, "out"), "--heartbeat-seconds", "1", "--dropout-seconds", "5", "--round-timeout-seconds", "150",
            .. extra,
        ]);

    private SampleProcess StartClient(int port, int index, params string[] extra) => SampleProcess.Start(
        "FedLearn.Samples.Client",
        WorkDirectory,
        [
            "--client-id", $"client-{index}", "--client-index", index.ToString(CultureInfo.InvariantCulture), "--clients", "3", "--train-subset", "3000",
            "--server", $"https://localhost:{port}", "--management-port", "0", "--model", "mlp",
            "--certificate", Certificates.ClientCertificatePath($"client-{index}"), "--key", Certificates.ClientKeyPath($"client-{index}"), "--ca-certificate", Certificates.CaCertificatePath,
            "--heartbeat-seconds", "1", "--dropout-seconds", "5", "--reconnect-delay-seconds", "0.5", "--max-reconnect-delay-seconds", "2",
            .. extra,
        ]);
}
