using System.Net;
using FedLearn.Transport.Grpc.Client;
using FedLearn.Transport.Grpc.Security;
using FedLearn.Transport.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FedLearn.Benchmarks.Transport;

/// <summary>A Kestrel federation server on a loopback port, with mutual TLS (certificates from the certificate tool) or plaintext.</summary>
internal sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackServer(WebApplication app, DevelopmentCertificates certificates, bool tls)
    {
        _app = app;
        Certificates = certificates;
        Transport = app.Services.GetRequiredService<GrpcServerTransport>();
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Address = tls ? address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) : address;
    }

    public GrpcServerTransport Transport { get; }

    public DevelopmentCertificates Certificates { get; }

    public string Address { get; }

    public static async Task<LoopbackServer> StartAsync(string directory, IEnumerable<string> clientIds, bool tls, int port = 0, Action<GrpcServerOptions>? configure = null, bool largeTlsReads = true)
    {
        DevelopmentCertificates certificates = FederationCertificates.CreateDevelopmentSet(directory, ["localhost"], clientIds, TimeSpan.FromDays(1));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddFedLearnGrpcServer(o =>
        {
            o.RequireClientCertificate = tls;
            o.DropoutTimeout = TimeSpan.FromSeconds(120);
            o.HeartbeatInterval = TimeSpan.FromSeconds(30);
            configure?.Invoke(o);
        });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (tls)
            {
                listen.UseFedLearnMutualTls(new ServerTlsOptions { CertificatePath = certificates.ServerCertificatePath, KeyPath = certificates.ServerKeyPath, ClientCaPath = certificates.CaCertificatePath }, logger: null, largeTlsReads);
            }
            else
            {
                listen.UseFedLearnPlaintext();
            }
        }));
        WebApplication app = builder.Build();
        app.MapFedLearnFederation();
        await app.StartAsync();
        return new LoopbackServer(app, certificates, tls);
    }

    public static GrpcClientOptions ClientOptions(string address, DevelopmentCertificates certificates, string clientId) => new()
    {
        ServerAddress = address,
        CertificatePath = address.StartsWith("https", StringComparison.Ordinal) ? certificates.ClientCertificatePath(clientId) : null,
        KeyPath = certificates.ClientKeyPath(clientId),
        CaCertificatePath = address.StartsWith("https", StringComparison.Ordinal) ? certificates.CaCertificatePath : null,
        DropoutTimeout = TimeSpan.FromSeconds(120),
        HeartbeatInterval = TimeSpan.FromSeconds(30),
        HandshakeTimeout = TimeSpan.FromSeconds(120),
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
