using System.Security.Cryptography.X509Certificates;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Transport.Grpc.Tests.Security;

public sealed class FederationTrustTests
{
    private string _directory = string.Empty;

    [SetUp]
    public void SetUp() => _directory = Directory.CreateTempSubdirectory("fedlearn-trust-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void ClientCertificatesFromTheToolCarryTheirIdAndAreTrustedForClientAuthenticationOnly()
    {
        DevelopmentCertificates set = FederationCertificates.CreateDevelopmentSet(_directory, ["fl.example.org"], ["client-1", "client-2"], TimeSpan.FromDays(2));
        var trust = new FederationTrust(set.CaCertificatePath, TimeSpan.Zero);
        using X509Certificate2 client = X509Certificate2.CreateFromPemFile(set.ClientCertificatePath("client-2"), set.ClientKeyPath("client-2"));
        using X509Certificate2 server = X509Certificate2.CreateFromPemFile(set.ServerCertificatePath, set.ServerKeyPath);

        Assert.That(ClientCertificateIdentity.GetClientId(client), Is.EqualTo("client-2"));
        Assert.That(trust.Validate(client, FederationTrust.ClientAuthenticationOid, out string? error), Is.True, error);
        Assert.That(trust.Validate(server, FederationTrust.ServerAuthenticationOid, out error), Is.True, error);
        Assert.That(trust.Validate(server, FederationTrust.ClientAuthenticationOid, out error), Is.False);
        Assert.That(error, Does.Contain("NotValidForUsage"));
        Assert.That(File.ReadAllText(set.ServerCertificatePath), Does.StartWith("-----BEGIN CERTIFICATE-----"));
    }

    [Test]
    public void ExpiredSelfSignedAndForeignCertificatesAreNotTrusted()
    {
        DevelopmentCertificates set = FederationCertificates.CreateDevelopmentSet(_directory, ["localhost"], [], TimeSpan.FromDays(2));
        var trust = new FederationTrust(set.CaCertificatePath, TimeSpan.Zero);
        using X509Certificate2 ca = X509Certificate2.CreateFromPemFile(set.CaCertificatePath, set.CaKeyPath);
        using X509Certificate2 expired = FederationCertificates.IssueClient(ca, "old", DateTimeOffset.UtcNow.AddMinutes(-4), DateTimeOffset.UtcNow.AddMinutes(-1));
        using X509Certificate2 foreignCa = FederationCertificates.CreateAuthority("another federation", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using X509Certificate2 foreign = FederationCertificates.IssueClient(foreignCa, "intruder", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using X509Certificate2 selfSigned = FederationCertificates.CreateAuthority("client-1", DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        Assert.That(trust.Validate(expired, FederationTrust.ClientAuthenticationOid, out string? error), Is.False);
        Assert.That(error, Does.Contain("NotTimeValid"));
        Assert.That(trust.Validate(foreign, FederationTrust.ClientAuthenticationOid, out error), Is.False);
        Assert.That(error, Does.Contain("intruder"));
        Assert.That(trust.Validate(selfSigned, FederationTrust.ClientAuthenticationOid, out error), Is.False);
    }

    [Test]
    public void ARenewedCertificateOnDiskIsPickedUpWithoutARestart()
    {
        DevelopmentCertificates set = FederationCertificates.CreateDevelopmentSet(_directory, ["localhost"], ["c"], TimeSpan.FromDays(2));
        using var reloading = new ReloadingCertificate(set.ClientCertificatePath("c"), set.ClientKeyPath("c"), TimeSpan.Zero);
        string before = reloading.Current.Thumbprint;
        X509Certificate2? announced = null;
        reloading.Reloaded += (_, certificate) => announced = certificate;

        using X509Certificate2 ca = X509Certificate2.CreateFromPemFile(set.CaCertificatePath, set.CaKeyPath);
        using X509Certificate2 renewed = FederationCertificates.IssueClient(ca, "c", DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddDays(30));
        FederationCertificates.WritePem(renewed, set.ClientCertificatePath("c"), set.ClientKeyPath("c"));
        File.SetLastWriteTimeUtc(set.ClientCertificatePath("c"), DateTime.UtcNow.AddSeconds(5));

        Assert.That(reloading.Current.Thumbprint, Is.Not.EqualTo(before).And.EqualTo(renewed.Thumbprint));
        Assert.That(reloading.Current.HasPrivateKey, Is.True);
        Assert.That(announced?.Thumbprint, Is.EqualTo(renewed.Thumbprint));
    }
}
