using System.Text.Json;
using FedLearn.Privacy.HomomorphicEncryption;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>
/// Paillier secure aggregation in the apps: the server holds the public key file, every client the secret key file.
/// The keys are 512 bits (<see cref="AppProcessTest.PaillierKeys"/>): with 2048-bit keys one round of the MLP takes
/// minutes on a shared 2-core machine (docs/results/secure-aggregation.md), and the protocol is the same at any size.
/// </summary>
public sealed partial class PipelineProcessTests
{
    private const string Paillier = "paillier:512";

    [Test]
    public async Task ThreeClientsWithPaillierTrainTwoRoundsToTheAccuracyOfThePlainRun()
    {
        PaillierKeyPairFiles keys = PaillierKeys;
        (JsonElement[] plain, _) = await RunFederationAsync("plain", [], []);
        (JsonElement[] secure, string[] clientOutputs) = await RunFederationAsync(
            "paillier",
            ["--secure-aggregation", Paillier, "--paillier-public-key", keys.PublicKeyPath, .. InsecurePaillierKeySize],
            ["--secure-aggregation", Paillier, "--paillier-secret-key", keys.SecretKeyPath, .. InsecurePaillierKeySize]);

        Assert.That(secure.Select(r => r.GetProperty("Succeeded").GetBoolean()), Is.All.True);
        Assert.That(secure.Select(r => r.GetProperty("Aggregated").EnumerateArray().Select(e => e.GetString()).Order().ToArray()), Is.All.EqualTo(new[] { "client-0", "client-1", "client-2" }));
        Assert.That(clientOutputs, Has.All.Contains("secure aggregation paillier"));
        double plainAccuracy = plain[^1].GetProperty("CentralAccuracy").GetDouble();
        double secureAccuracy = secure[^1].GetProperty("CentralAccuracy").GetDouble();
        Assert.That(secure[1].GetProperty("CentralAccuracy").GetDouble(), Is.GreaterThan(secure[0].GetProperty("CentralAccuracy").GetDouble()), "accuracy improves");

        // Same seeds, same partitions, same training: the decrypted sum differs from the plain one only by the
        // fixed-point quantization both protocols share (2^22 levels of [−8, 8] per weighted value, about 4e-6 per
        // coordinate), far below what moves the test accuracy by a point.
        Assert.That(secureAccuracy, Is.EqualTo(plainAccuracy).Within(0.01), $"plain {plainAccuracy}, paillier {secureAccuracy}");

        // The cost of encryption, for docs/results/secure-aggregation.md (not asserted: timing is no test's business).
        TestContext.Out.WriteLine($"round seconds: plain [{string.Join(", ", plain.Select(r => r.GetProperty("Seconds").GetDouble().ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}], {Paillier} [{string.Join(", ", secure.Select(r => r.GetProperty("Seconds").GetDouble().ToString("F2", System.Globalization.CultureInfo.InvariantCulture)))}]");
    }

    [Test]
    public async Task AClientWhoseSecretKeyIsNotTheServersStopsBothNamingTheKey()
    {
        PaillierKeyPairFiles federation = PaillierKeys;
        PaillierKeyPairFiles other = PaillierKeyFile.CreateDevelopmentPair(Path.Combine(WorkDirectory, "other-keys"), TestPaillierKeyBits);
        int port = FreePort.Next();
        using SampleProcess server = StartServer(port, ["--rounds", "2", "--clients", "1", "--min-clients", "1", "--secure-aggregation", Paillier, "--paillier-public-key", federation.PublicKeyPath, .. InsecurePaillierKeySize]);
        await server.WaitForOutputAsync("Now listening on", Patience);
        using SampleProcess client = StartClient(port, 0, ["--secure-aggregation", Paillier, "--paillier-secret-key", other.SecretKeyPath, .. InsecurePaillierKeySize]);

        Assert.That(await client.WaitForExitAsync(Patience), Is.EqualTo(2), client.Tail());
        Assert.That(await server.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), server.Tail());
        foreach (SampleProcess side in new[] { client, server })
        {
            Assert.That(side.Output, Does.Contain($"holds the Paillier secret key of public key {other.Fingerprint}, but the server\\u0027s public key is {federation.Fingerprint}").And.Contain("does not belong to this federation").And.Contain("FedLearn:Client:PaillierSecretKey"));
        }

        Assert.That(server.Output, Does.Contain("settings do not match"));
        Assert.That(File.Exists(Path.Combine(WorkDirectory, "out", "summary.json")), Is.False, "no round ran");
    }

    [Test]
    public async Task AClientGivenThePublicKeyOrAKeyOfAnotherSizeRefusesToStartNamingTheSetting()
    {
        PaillierKeyPairFiles keys = PaillierKeys;
        using SampleProcess publicOnly = StartClient(FreePort.Next(), 0, ["--secure-aggregation", Paillier, "--paillier-secret-key", keys.PublicKeyPath, .. InsecurePaillierKeySize]);
        using SampleProcess otherSize = StartClient(FreePort.Next(), 1, "--secure-aggregation", "paillier:2048", "--paillier-secret-key", keys.SecretKeyPath);

        Assert.That(await publicOnly.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), publicOnly.Tail());
        Assert.That(await otherSize.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(2), otherSize.Tail());
        Assert.That(publicOnly.Output, Does.Contain($"error: FedLearn:Client:PaillierSecretKey: '{keys.PublicKeyPath}': this is a Paillier public-key file, but the secret key"));
        Assert.That(otherSize.Output, Does.Contain($"error: FedLearn:Client:PaillierSecretKey: '{keys.SecretKeyPath}': the key has {TestPaillierKeyBits} bits, but 2048 are configured."));
    }
}
