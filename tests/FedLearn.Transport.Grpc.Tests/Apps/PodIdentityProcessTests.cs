using System.Globalization;
using System.Text.Json;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>
/// The client app run as the Kubernetes StatefulSet runs it: told only its pod name and a certificate path with
/// <c>{ClientId}</c>, each client takes its id, its partition and its own certificate from the name, and the server
/// (which takes the id from the certificate) aggregates both. A pod name without an ordinal stops the client at once.
/// </summary>
[NonParallelizable]
[Category("Processes")]
public sealed class PodIdentityProcessTests() : AppProcessTest("fedlearn-pods-", needsData: false)
{
    [Test]
    public async Task A_pod_name_without_an_ordinal_stops_the_client_with_a_message_that_names_it()
    {
        using SampleProcess client = SampleProcess.Start("FedLearn.Samples.Client", WorkDirectory, "--pod-name", "fedlearn-client", "--clients", "4", "--management-port", "0");

        int exitCode = await client.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.That(exitCode, Is.EqualTo(2), client.Tail());
        Assert.That(client.Output, Does.Contain("PodName 'fedlearn-client' does not end in '-<ordinal>'"));
    }

    [Test]
    public async Task Two_pods_take_their_ids_partitions_andCertificates_from_their_names_and_the_server_aggregates_both()
    {
        if (!Directory.Exists("/usr/share/datasets/fashion-mnist") && Environment.GetEnvironmentVariable("FEDLEARN_DATA") is null)
        {
            Assert.Ignore("Fashion-MNIST is not installed.");
        }

        string[] pods = ["fedlearn-client-0", "fedlearn-client-1"];
        DevelopmentCertificates certificates = FederationCertificates.CreateDevelopmentSet(Path.Combine(WorkDirectory, "certs"), ["localhost"], pods, TimeSpan.FromDays(1));
        int port = FreePort.Next();
        using SampleProcess server = SampleProcess.Start(
            "FedLearn.Samples.Server",
            WorkDirectory,
            "--port", Text(port), "--management-port", "0", "--model", "mlp", "--threads", "1", "--rounds", "1", "--clients", "2", "--min-clients", "2",
            "--certificate", certificates.ServerCertificatePath, "--key", certificates.ServerKeyPath, "--ca-certificate", certificates.CaCertificatePath,
            "--output", Path.Combine(WorkDirectory, "out"), "--heartbeat-seconds", "1", "--dropout-seconds", "5", "--round-timeout-seconds", "150");

        // As in the StatefulSet: the pod name, and the certificate files named by {ClientId}; no client id or index.
        SampleProcess[] clients = pods.Select(pod => SampleProcess.Start(
            "FedLearn.Samples.Client",
            WorkDirectory,
            "--pod-name", pod, "--clients", "2", "--train-subset", "2000", "--server", $"https://localhost:{Text(port)}", "--management-port", "0", "--model", "mlp",
            "--certificate", Path.Combine(WorkDirectory, "certs", "clients", "{ClientId}.crt"), "--key", Path.Combine(WorkDirectory, "certs", "clients", "{ClientId}.key"),
            "--ca-certificate", certificates.CaCertificatePath, "--heartbeat-seconds", "1", "--dropout-seconds", "5")).ToArray();
        try
        {
            Assert.That(await server.WaitForExitAsync(Patience), Is.EqualTo(0), server.Tail());
            for (int ordinal = 0; ordinal < pods.Length; ordinal++)
            {
                Assert.That(await clients[ordinal].WaitForExitAsync(TimeSpan.FromSeconds(60), server), Is.EqualTo(0), clients[ordinal].Tail());
                Assert.That(clients[ordinal].Output, Does.Contain($"partition {ordinal} of 2"), "the partition is the pod's ordinal");
            }

            using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(WorkDirectory, "out", "summary.json")));
            JsonElement round = summary.RootElement.GetProperty("Rounds")[0];
            Assert.That(round.GetProperty("Succeeded").GetBoolean(), Is.True);
            Assert.That(round.GetProperty("Aggregated").EnumerateArray().Select(e => e.GetString()).Order(), Is.EqualTo(pods), "the server knows each pod by the id in its certificate, its pod name");
        }
        finally
        {
            foreach (SampleProcess client in clients)
            {
                client.Dispose();
            }
        }
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
