using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FedLearn.Transport.Grpc.Security;
using Grpc.Net.Client;

namespace FedLearn.Transport.Grpc.Client;

/// <summary>
/// Builds one channel per connection attempt: TLS 1.3 with the client's current certificate (re-read from disk when
/// it changed) and the server's certificate checked against the federation's CA only.
/// </summary>
internal sealed class ClientChannelFactory : IDisposable
{
    private readonly GrpcClientOptions _options;
    private readonly ReloadingCertificate? _certificate;
    private readonly FederationTrust? _trust;

    public ClientChannelFactory(GrpcClientOptions options)
    {
        _options = options;
        if (options.CertificatePath is { } certificatePath)
        {
            _certificate = new ReloadingCertificate(certificatePath, options.KeyPath, options.CertificateCheckInterval);
        }

        if (options.CaCertificatePath is { } caPath)
        {
            _trust = new FederationTrust(caPath, options.CertificateCheckInterval);
        }
    }

    /// <summary>Why the last server certificate was refused, if it was.</summary>
    public string? LastServerCertificateError { get; private set; }

    public GrpcChannel Create(int maxReceiveMessageBytes)
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = false,
            ConnectTimeout = _options.HandshakeTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            InitialHttp2StreamWindowSize = _options.Http2StreamWindowBytes,
        };
        if (new Uri(_options.ServerAddress).Scheme == "https")
        {
            handler.SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = SslProtocols.Tls13,
                ClientCertificates = _certificate is null ? null : new X509CertificateCollection { _certificate.Current },
                RemoteCertificateValidationCallback = ValidateServer,
            };
        }

        return GrpcChannel.ForAddress(_options.ServerAddress, new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
            MaxReceiveMessageSize = maxReceiveMessageBytes,
            MaxSendMessageSize = null,
        });
    }

    public void Dispose() => _certificate?.Dispose();

    private bool ValidateServer(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || _trust is null)
        {
            LastServerCertificateError = "the server presented no certificate.";
            return false;
        }

        // The name check of the platform is kept; the chain is judged against the federation's CA only.
        if ((errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            LastServerCertificateError = $"the server certificate does not match the address ({errors}).";
            return false;
        }

        using X509Certificate2 server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        bool trusted = _trust.Validate(server, FederationTrust.ServerAuthenticationOid, out string? error);
        LastServerCertificateError = error;
        return trusted;
    }
}
