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

namespace FedLearn.Transport.Grpc.Tests;

/// <summary>A real Kestrel server with mutual TLS on a free loopback port, with certificates made by the certificate tool.</summary>
internal sealed class LoopbackFederation : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackFederation(WebApplication app, DevelopmentCertificates certificates, string directory)
    {
        _app = app;
        Certificates = certificates;
        Directory = directory;
        Transport = app.Services.GetRequiredService<GrpcServerTransport>();
        Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
    }

    public GrpcServerTransport Transport { get; }

    public DevelopmentCertificates Certificates { get; }

    public string Directory { get; }

    public string Address { get; }

    public static async Task<LoopbackFederation> StartAsync(IEnumerable<string> clientIds, Action<GrpcServerOptions>? configure = null, Action<IServiceCollection>? services = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), "fedlearn-grpc-tests", Guid.NewGuid().ToString("N"));
        DevelopmentCertificates certificates = FederationCertificates.CreateDevelopmentSet(directory, ["localhost"], clientIds, TimeSpan.FromDays(1));
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddFedLearnGrpcServer(options =>
        {
            options.HeartbeatInterval = TimeSpan.FromMilliseconds(250);
            options.DropoutTimeout = TimeSpan.FromSeconds(2);
            options.ReconnectGracePeriod = TimeSpan.FromSeconds(5);
            configure?.Invoke(options);
        });
        services?.Invoke(builder.Services);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseFedLearnMutualTls(new ServerTlsOptions
        {
            CertificatePath = certificates.ServerCertificatePath,
            KeyPath = certificates.ServerKeyPath,
            ClientCaPath = certificates.CaCertificatePath,
            CertificateCheckInterval = TimeSpan.Zero,
        })));
        WebApplication app = builder.Build();
        app.MapFedLearnFederation();
        await app.StartAsync().ConfigureAwait(false);
        return new LoopbackFederation(app, certificates, directory);
    }

    public GrpcClientOptions ClientOptions(string clientId, Action<GrpcClientOptions>? configure = null)
    {
        var options = new GrpcClientOptions
        {
            ServerAddress = Address,
            CertificatePath = Certificates.ClientCertificatePath(clientId),
            KeyPath = Certificates.ClientKeyPath(clientId),
            CaCertificatePath = Certificates.CaCertificatePath,
            HeartbeatInterval = TimeSpan.FromMilliseconds(250),
            DropoutTimeout = TimeSpan.FromSeconds(2),
            ReconnectDelay = TimeSpan.FromMilliseconds(100),
            MaxReconnectDelay = TimeSpan.FromSeconds(1),
        };
        configure?.Invoke(options);
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
