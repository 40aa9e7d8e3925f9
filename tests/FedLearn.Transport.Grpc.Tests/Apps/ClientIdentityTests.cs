using FedLearn.Samples.Client;
using FsCheck;
using FsCheck.Fluent;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>
/// The client app's identity resolution (samples/FedLearn.Samples.Client/ClientIdentity.cs, compiled in): a StatefulSet
/// pod's name gives the client id, the partition and the certificate files; a name without an ordinal, or an ordinal
/// without a partition, stops the client with a message that says what to fix.
/// </summary>
public sealed class ClientIdentityTests
{
    private const string Certificate = "/etc/fedlearn/tls/{ClientId}.crt";
    private const string Key = "/etc/fedlearn/tls/{ClientId}.key";

    [TestCase("fedlearn-client-0", 0)]
    [TestCase("fedlearn-client-7", 7)]
    [TestCase("fedlearn-client-19", 19)]
    [TestCase("a-1", 1)]
    public void A_pod_name_gives_the_id_the_partition_and_the_certificate_files(string pod, int ordinal)
    {
        ClientIdentity identity = ClientIdentity.Resolve(clientId: null, pod, clientIndex: 0, clients: 20, Certificate, Key);

        Assert.That(identity, Is.EqualTo(new ClientIdentity(pod, ordinal, $"/etc/fedlearn/tls/{pod}.crt", $"/etc/fedlearn/tls/{pod}.key")));
    }

    [Test]
    public void Every_pod_of_a_set_gets_a_distinct_partition_and_certificate()
    {
        ClientIdentity[] pods = Enumerable.Range(0, 20).Select(i => ClientIdentity.Resolve("", $"fedlearn-client-{i}", 0, 20, Certificate, Key)).ToArray();

        Assert.That(pods.Select(p => p.ClientIndex), Is.EqualTo(Enumerable.Range(0, 20)));
        Assert.That(pods.Select(p => p.Certificate), Is.Unique);
        Assert.That(pods.Select(p => p.Key), Is.Unique);
    }

    [FsCheck.NUnit.Property]
    public Property The_ordinal_is_the_number_after_the_last_dash()
    {
        Gen<string> names = Gen.Elements("fedlearn-client", "c", "hospital-a-train", "x-0");
        return Prop.ForAll(Arb.From(names), Arb.From(Gen.Choose(0, int.MaxValue)), (name, ordinal) =>
            ClientIdentity.OrdinalOf($"{name}-{ordinal}") == ordinal);
    }

    [TestCase("fedlearn-client")]
    [TestCase("fedlearn-client-")]
    [TestCase("-3")]
    [TestCase("7")]
    [TestCase("fedlearn-client-3a")]
    [TestCase("fedlearn-client-+3")]
    [TestCase("fedlearn-client- 3")]
    [TestCase("fedlearn-client-٣")]
    [TestCase("fedlearn-client-99999999999")]
    public void A_pod_name_without_an_ordinal_is_refused_and_the_message_names_it(string pod)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClientIdentity.Resolve(null, pod, 0, 20, Certificate, Key));

        Assert.That(refused!.Message, Does.Contain($"PodName '{pod.Trim()}'").And.Contain("does not end in '-<ordinal>'").And.Contain("fedlearn-client-3"));
    }

    [Test]
    public void An_ordinal_without_a_partition_is_refused_with_the_fix()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClientIdentity.Resolve(null, "fedlearn-client-5", 0, 5, Certificate, Key));

        Assert.That(refused!.Message, Does.Contain("ordinal 5").And.Contain("Clients = 5").And.Contain("maxReplicas"));
    }

    [Test]
    public void A_client_id_other_than_the_pod_name_is_refused()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClientIdentity.Resolve("hospital-a", "fedlearn-client-1", 0, 5, Certificate, Key));

        Assert.That(refused!.Message, Does.Contain("ClientId 'hospital-a'").And.Contain("PodName 'fedlearn-client-1'"));
        Assert.That(ClientIdentity.Resolve("fedlearn-client-1", "fedlearn-client-1", 0, 5, Certificate, Key).ClientIndex, Is.EqualTo(1), "the same id twice is no conflict");
    }

    [Test]
    public void Without_a_pod_name_the_configured_id_and_index_stand_and_the_token_still_names_the_files()
    {
        ClientIdentity identity = ClientIdentity.Resolve("hospital-a", null, 2, 3, "certs/clients/{ClientId}.crt", null);
        ClientIdentity plain = ClientIdentity.Resolve("hospital-a", "  ", 2, 3, "certs/client.crt", "certs/client.key");

        Assert.That(identity, Is.EqualTo(new ClientIdentity("hospital-a", 2, "certs/clients/hospital-a.crt", null)));
        Assert.That(plain, Is.EqualTo(new ClientIdentity("hospital-a", 2, "certs/client.crt", "certs/client.key")));
    }

    [TestCase(null, 0, 3, "has no id")]
    [TestCase("hospital-a", 3, 3, "ClientIndex 3 is not a partition")]
    [TestCase("hospital-a", -1, 3, "ClientIndex -1 is not a partition")]
    [TestCase("hospital-a", 0, 0, "Clients (the number of data partitions) is 0")]
    [TestCase("../x", 0, 3, "cannot name a file")]
    public void Settings_that_name_no_usable_identity_are_refused(string? clientId, int index, int clients, string message)
    {
        var refused = Assert.Throws<InvalidOperationException>(() => ClientIdentity.Resolve(clientId, null, index, clients, Certificate, Key));

        Assert.That(refused!.Message, Does.Contain(message));
    }
}
