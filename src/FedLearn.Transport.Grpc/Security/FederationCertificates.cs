using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>
/// Creates the certificates of a federation for development and tests: a CA, a server certificate and one client
/// certificate per client id, each client's id bound into its certificate (see <see cref="ClientCertificateIdentity"/>).
/// Keys are ECDSA P-256. Production deployments should issue certificates from their own PKI with the same fields.
/// </summary>
public static class FederationCertificates
{
    /// <summary>Creates a self-signed CA certificate with its private key.</summary>
    public static X509Certificate2 CreateAuthority(string name, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={Escape(name)}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    /// <summary>Issues a server certificate for the given DNS names and addresses.</summary>
    public static X509Certificate2 IssueServer(X509Certificate2 authority, IEnumerable<string> dnsNames, IEnumerable<IPAddress>? addresses, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(dnsNames);
        string[] names = dnsNames.ToArray();
        if (names.Length == 0)
        {
            throw new ArgumentException("A server certificate needs at least one DNS name.", nameof(dnsNames));
        }

        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in names)
        {
            san.AddDnsName(name);
        }

        foreach (IPAddress address in addresses ?? [])
        {
            san.AddIpAddress(address);
        }

        return Issue(authority, $"CN={Escape(names[0])}", san, FederationTrust.ServerAuthenticationOid, notBefore, notAfter);
    }

    /// <summary>Issues the certificate of client <paramref name="clientId"/>; the id is its URI name and common name.</summary>
    public static X509Certificate2 IssueClient(X509Certificate2 authority, string clientId, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(ClientCertificateIdentity.ToUri(clientId)));
        return Issue(authority, $"CN={Escape(clientId)}", san, FederationTrust.ClientAuthenticationOid, notBefore, notAfter);
    }

    /// <summary>Writes a certificate and its private key as PEM files (the key file readable by its owner only where the platform allows).</summary>
    public static void WritePem(X509Certificate2 certificate, string certificatePath, string keyPath)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        string key = certificate.GetECDsaPrivateKey()?.ExportPkcs8PrivateKeyPem()
            ?? certificate.GetRSAPrivateKey()?.ExportPkcs8PrivateKeyPem()
            ?? throw new ArgumentException("The certificate has no exportable private key.", nameof(certificate));
        WriteAtomically(certificatePath, certificate.ExportCertificatePem() + "\n");
        WriteAtomically(keyPath, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    /// <summary>
    /// Creates a CA, a server certificate and a certificate per client id under <paramref name="directory"/>:
    /// <c>ca.crt</c>, <c>ca.key</c>, <c>server.crt</c>, <c>server.key</c> and <c>clients/&lt;id&gt;.crt</c> / <c>.key</c>.
    /// </summary>
    /// <param name="directory">Output folder (created).</param>
    /// <param name="serverNames">DNS names of the server (the first is its common name); <c>localhost</c> and 127.0.0.1 are always added.</param>
    /// <param name="clientIds">The clients.</param>
    /// <param name="validity">How long the certificates are valid from now.</param>
    public static DevelopmentCertificates CreateDevelopmentSet(string directory, IEnumerable<string> serverNames, IEnumerable<string> clientIds, TimeSpan validity)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(serverNames);
        ArgumentNullException.ThrowIfNull(clientIds);
        DateTimeOffset notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        DateTimeOffset notAfter = DateTimeOffset.UtcNow.Add(validity);
        Directory.CreateDirectory(Path.Combine(directory, "clients"));
        using X509Certificate2 ca = CreateAuthority("FedLearn federation CA", notBefore, notAfter.AddDays(1));
        var set = new DevelopmentCertificates(directory);
        WritePem(ca, set.CaCertificatePath, set.CaKeyPath);
        string[] names = serverNames.Append("localhost").Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        using (X509Certificate2 server = IssueServer(ca, names, [IPAddress.Loopback, IPAddress.IPv6Loopback], notBefore, notAfter))
        {
            WritePem(server, set.ServerCertificatePath, set.ServerKeyPath);
        }

        foreach (string clientId in clientIds)
        {
            using X509Certificate2 client = IssueClient(ca, clientId, notBefore, notAfter);
            WritePem(client, set.ClientCertificatePath(clientId), set.ClientKeyPath(clientId));
        }

        return set;
    }

    private static X509Certificate2 Issue(X509Certificate2 authority, string subject, SubjectAlternativeNameBuilder san, string usageOid, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (!authority.HasPrivateKey)
        {
            throw new ArgumentException("The authority certificate has no private key to sign with.", nameof(authority));
        }

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(subject), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        DateTimeOffset end = notAfter > authority.NotAfter ? authority.NotAfter : notAfter;
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(authority, notBefore, end, serial);
        return issued.CopyWithPrivateKey(key);
    }

    private static void WriteAtomically(string path, string text)
    {
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = path + ".tmp";
        File.WriteAllText(temporary, text);
        File.Move(temporary, path, overwrite: true);
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal).Replace("=", "\\=", StringComparison.Ordinal).Replace("+", "\\+", StringComparison.Ordinal);
}
