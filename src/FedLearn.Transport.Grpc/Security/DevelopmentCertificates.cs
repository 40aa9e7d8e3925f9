namespace FedLearn.Transport.Grpc.Security;

/// <summary>Where <see cref="FederationCertificates.CreateDevelopmentSet"/> wrote a federation's certificates.</summary>
/// <param name="Directory">The folder.</param>
public sealed record DevelopmentCertificates(string Directory)
{
    /// <summary>The CA certificate (PEM); servers and clients trust it.</summary>
    public string CaCertificatePath => Path.Combine(Directory, "ca.crt");

    /// <summary>The CA's private key (PEM); keep it off servers and clients.</summary>
    public string CaKeyPath => Path.Combine(Directory, "ca.key");

    /// <summary>The server certificate (PEM).</summary>
    public string ServerCertificatePath => Path.Combine(Directory, "server.crt");

    /// <summary>The server's private key (PEM).</summary>
    public string ServerKeyPath => Path.Combine(Directory, "server.key");

    /// <summary>The certificate of one client (PEM).</summary>
    public string ClientCertificatePath(string clientId) => Path.Combine(Directory, "clients", clientId + ".crt");

    /// <summary>The private key of one client (PEM).</summary>
    public string ClientKeyPath(string clientId) => Path.Combine(Directory, "clients", clientId + ".key");
}
