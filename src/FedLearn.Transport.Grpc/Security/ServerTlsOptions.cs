using System.ComponentModel.DataAnnotations;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>The server's TLS settings: its certificate and the CA its clients' certificates must chain to.</summary>
public sealed class ServerTlsOptions
{
    /// <summary>The server certificate (PEM), read again when it changes on disk.</summary>
    [Required]
    public string CertificatePath { get; set; } = string.Empty;

    /// <summary>The server's private key (PEM); <see langword="null"/> when it is in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The federation's CA (PEM) that issues client certificates; read again when it changes on disk.</summary>
    [Required]
    public string ClientCaPath { get; set; } = string.Empty;

    /// <summary>Least time between two checks of the certificate files for changes.</summary>
    /// <value>Default 5 s.</value>
    public TimeSpan CertificateCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}
