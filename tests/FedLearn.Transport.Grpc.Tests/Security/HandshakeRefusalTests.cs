using System.Security.Cryptography.X509Certificates;
using FedLearn.Transport.Grpc.Security;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Tests.Security;

[NonParallelizable]
public sealed class HandshakeRefusalTests
{
    [TestCase("none")]
    [TestCase("self-signed")]
    [TestCase("other-ca")]
    [TestCase("expired")]
    public async Task ClientsWithoutAValidFederationCertificateAreRefusedAtTheHandshake(string kind)
    {
        await using LoopbackFederation federation = await LoopbackFederation.StartAsync(["olga"]);
        using X509Certificate2 ca = X509Certificate2.CreateFromPemFile(federation.Certificates.CaCertificatePath, federation.Certificates.CaKeyPath);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2? certificate = kind switch
        {
            "none" => null,
            "self-signed" => SelfSignedClient("olga"),
            "other-ca" => FederationCertificates.IssueClient(FederationCertificates.CreateAuthority("elsewhere", now.AddDays(-1), now.AddDays(1)), "olga", now.AddDays(-1), now.AddDays(1)),
            _ => FederationCertificates.IssueClient(ca, "olga", now.AddMinutes(-4), now.AddMinutes(-1)),
        };
        certificate = certificate is null ? null : X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);

        using var raw = new RawFederationClient(federation.Address, certificate);
        string outcome;
        try
        {
            await raw.HelloAsync("olga");
            outcome = (await raw.ReadToEndAsync(TimeSpan.FromSeconds(20))).StatusCode.ToString();
        }
        catch (Exception exception) when (exception is RpcException or HttpRequestException or IOException)
        {
            // Depending on when the TLS stack notices the refusal, the client sees a failed call or a failed connection.
            outcome = exception is RpcException rpc ? rpc.StatusCode.ToString() : "connection failed";
        }

        Assert.That(outcome, Is.AnyOf(nameof(StatusCode.Unavailable), nameof(StatusCode.Internal), "connection failed"));
        Assert.That(federation.Transport.GetKnownClients(), Is.Empty, "the stream never reached the federation service");

        // The same server still admits the real client.
        using var genuine = new RawFederationClient(federation.Address, RawFederationClient.Load(federation.Certificates.ClientCertificatePath("olga"), federation.Certificates.ClientKeyPath("olga")));
        await genuine.HelloAsync("olga");
        Assert.That((await genuine.ReceiveAsync(TimeSpan.FromSeconds(20))).Welcome.ClientId, Is.EqualTo("olga"));
    }

    private static X509Certificate2 SelfSignedClient(string id)
    {
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest($"CN={id}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid(FederationTrust.ClientAuthenticationOid)], false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
