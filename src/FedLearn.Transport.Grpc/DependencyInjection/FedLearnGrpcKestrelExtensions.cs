using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using FedLearn.Options;
using FedLearn.Transport.Grpc.Security;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Microsoft.AspNetCore.Hosting;

/// <summary>Configures a Kestrel endpoint for the federation: HTTP/2 over TLS 1.3 with mutual TLS.</summary>
public static class FedLearnGrpcKestrelExtensions
{
    /// <summary>
    /// Serves this endpoint over HTTP/2 and TLS 1.3 only, with the server certificate from disk (re-read when it changes)
    /// and a client certificate required from every client: one that does not chain to the federation's CA, is expired
    /// or not yet valid, or is not meant for client authentication is refused during the handshake.
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid.</exception>
    public static ListenOptions UseFedLearnMutualTls(this ListenOptions listenOptions, ServerTlsOptions options, ILogger? logger = null) =>
        UseFedLearnMutualTls(listenOptions, options, logger, largeTlsReads: true);

    /// <summary>As the public overload; <paramref name="largeTlsReads"/> false keeps Kestrel's 4 KiB TLS reads (for comparison runs).</summary>
    internal static ListenOptions UseFedLearnMutualTls(this ListenOptions listenOptions, ServerTlsOptions options, ILogger? logger, bool largeTlsReads)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(ServerTlsOptions));
        logger ??= NullLogger.Instance;
        var certificate = new ReloadingCertificate(options.CertificatePath, options.KeyPath, options.CertificateCheckInterval);
        certificate.Reloaded += (_, renewed) => logger.LogInformation("Server certificate reloaded: {Subject}, valid until {NotAfter:u}", renewed.Subject, renewed.NotAfter);
        var trust = new FederationTrust(options.ClientCaPath, options.CertificateCheckInterval);
        listenOptions.Protocols = HttpProtocols.Http2;
        ConfigureHttp2(listenOptions.KestrelServerOptions);
        listenOptions.UseHttps(new HttpsConnectionAdapterOptions
        {
            SslProtocols = SslProtocols.Tls13,
            ServerCertificateSelector = (_, _) => certificate.Current,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            CheckCertificateRevocation = false,
            ClientCertificateValidation = (client, _, _) =>
            {
                bool trusted = trust.Validate(client, FederationTrust.ClientAuthenticationOid, out string? error);
                if (!trusted)
                {
                    logger.LogWarning("Refused a TLS client: {Error}", error);
                }

                return trusted;
            },
        });
        listenOptions.Use(next => TlsBuffering.Wrap(next, largeTlsReads));
        return listenOptions;
    }

    /// <summary>
    /// Serves this endpoint over HTTP/2 without TLS (h2c). For development and for deployments where TLS ends in a
    /// proxy in front of the server: client ids are then believed as the clients state them.
    /// </summary>
    public static ListenOptions UseFedLearnPlaintext(this ListenOptions listenOptions)
    {
        ArgumentNullException.ThrowIfNull(listenOptions);
        listenOptions.Protocols = HttpProtocols.Http2;
        ConfigureHttp2(listenOptions.KestrelServerOptions);
        return listenOptions;
    }

    private static void ConfigureHttp2(KestrelServerOptions kestrel)
    {
        // The flow-control windows come from GrpcServerOptions (AddFedLearnGrpcServer sets them on Kestrel).
        kestrel.Limits.Http2.MaxStreamsPerConnection = 16;
        kestrel.Limits.MinRequestBodyDataRate = null;
        kestrel.Limits.MinResponseDataRate = null;
        // No HTTP/2 keep-alive pings: the federation's own heartbeats and dropout timeout judge liveness, and pings
        // unanswered on a saturated host would abort healthy streams.
    }
}
