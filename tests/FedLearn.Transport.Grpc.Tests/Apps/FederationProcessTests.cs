using System.Text.Json;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>The deployable apps as separate processes on loopback with mutual TLS, training the MLP on Fashion-MNIST partitions.</summary>
[NonParallelizable]
[Category("Processes")]
public sealed class FederationProcessTests() : AppProcessTest("fedlearn-apps-")
{
    [Test]
    public async Task AServerAndThreeClientProcessesTrainTheMlpForTwoRoundsAndAccuracyImproves()
    {
        int port = FreePort.Next();
        using SampleProcess server = StartServer(port, "--rounds", "2", "--clients", "3", "--min-clients", "3");

        // The clients' management ports are picked by the system: let the server hold its port first.
        await server.WaitForOutputAsync("Now listening on", Patience);
        SampleProcess[] clients = Enumerable.Range(0, 3).Select(i => StartClient(port, i)).ToArray();
        try
        {
            Assert.That(await server.WaitForExitAsync(Patience), Is.EqualTo(0), server.Tail());
            foreach (SampleProcess client in clients)
            {
                Assert.That(await client.WaitForExitAsync(TimeSpan.FromSeconds(60), server), Is.EqualTo(0), client.Tail());
                Assert.That(client.Output, Does.Contain("the federation finished its rounds"));
            }

            JsonElement[] rounds = Summary();
            Assert.That(rounds.Select(r => r.GetProperty("Succeeded").GetBoolean()), Is.All.True);
            Assert.That(rounds.Select(r => r.GetProperty("Aggregated").EnumerateArray().Select(e => e.GetString()).Order().ToArray()), Is.All.EqualTo(new[] { "client-0", "client-1", "client-2" }));
            double first = rounds[0].GetProperty("CentralAccuracy").GetDouble();
            double second = rounds[1].GetProperty("CentralAccuracy").GetDouble();
            Assert.That(first, Is.GreaterThan(0.3), "one round of training is far above chance (0.1)");
            Assert.That(second, Is.GreaterThan(first));
            Assert.That(File.Exists(Path.Combine(WorkDirectory, "state-1", "client-state.safetensors")), Is.True, "the client saved its state when it stopped");
        }
        finally
        {
            foreach (SampleProcess client in clients)
            {
                client.Dispose();
            }
        }
    }

    [Test]
    public async Task AClientKilledMidRoundLeavesTheRoundToTheQuorumAndJoinsTheNextRoundAfterRestarting()
    {
        int port = FreePort.Next();
        using SampleProcess server = StartServer(port, "--rounds", "2", "--clients", "3", "--min-clients", "2", "--reconnect-grace-seconds", "2", "--straggler-grace-seconds", "30");
        await server.WaitForOutputAsync("Now listening on", Patience);
        using SampleProcess steady0 = StartClient(port, 0);
        using SampleProcess steady1 = StartClient(port, 1);
        using (SampleProcess victim = StartClient(port, 2))
        {
            // Killed while training: the settings check (PipelineOffer) comes first in a round, so wait for the fit instruction.
            await victim.WaitForOutputAsync("for round 1 received (FitInstruction", Patience);
            victim.Kill();
        }

        using SampleProcess restarted = StartClient(port, 2);

        Assert.That(await server.WaitForExitAsync(Patience), Is.EqualTo(0), server.Tail());
        Assert.That(await restarted.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(0), restarted.Tail());
        JsonElement[] rounds = Summary();
        Assert.That(rounds[0].GetProperty("Succeeded").GetBoolean(), Is.True);
        Assert.That(rounds[0].GetProperty("Aggregated").GetArrayLength(), Is.GreaterThanOrEqualTo(2));
        Assert.That(rounds[1].GetProperty("Succeeded").GetBoolean(), Is.True);
        Assert.That(rounds[1].GetProperty("Aggregated").EnumerateArray().Select(e => e.GetString()), Does.Contain("client-2"));
        Assert.That(server.Output, Does.Contain("Client client-2 connected").And.Contain("(resumed)"));
    }

    private SampleProcess StartServer(int port, params string[] extra) => SampleProcess.Start(
        "FedLearn.Samples.Server",
        WorkDirectory,
        [
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--management-port", "0", "--model", "mlp", "--threads", "1",
            "--certificate", Certificates.ServerCertificatePath, "--key", Certificates.ServerKeyPath, "--ca-certificate", Certificates.CaCertificatePath,
            "--output", Path.Combine(WorkDirectory, "out"), "--heartbeat-seconds", "1", "--dropout-seconds", "5", "--round-timeout-seconds", "150",
            .. extra,
        ]);

    private SampleProcess StartClient(int port, int index) => SampleProcess.Start(
        "FedLearn.Samples.Client",
        WorkDirectory,
        "--client-id", $"client-{index}", "--client-index", index.ToString(System.Globalization.CultureInfo.InvariantCulture), "--clients", "3", "--train-subset", "3000",
        "--server", $"https://localhost:{port}", "--management-port", "0", "--model", "mlp",
        "--certificate", Certificates.ClientCertificatePath($"client-{index}"), "--key", Certificates.ClientKeyPath($"client-{index}"), "--ca-certificate", Certificates.CaCertificatePath,
        "--state-dir", Path.Combine(WorkDirectory, $"state-{index}"), "--heartbeat-seconds", "1", "--dropout-seconds", "5", "--reconnect-delay-seconds", "0.5", "--max-reconnect-delay-seconds", "2");

    private JsonElement[] Summary()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkDirectory, "out", "summary.json")));
        return document.RootElement.GetProperty("Rounds").EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
