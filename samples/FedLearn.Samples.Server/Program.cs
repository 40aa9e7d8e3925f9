using System.Net;
using FedLearn.Samples.Server;
using FedLearn.Samples.Shared;
using FedLearn.Samples.Shared.Pipeline;
using FedLearn.Telemetry;
using FedLearn.Transport.Grpc.Security;
using FedLearn.Transport.Grpc.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry.Metrics;

if (args.Length > 0 && args[0] == "certs")
{
    return CertificateCommand.Run(args[1..]);
}

if (args.Length > 0 && args[0] == "paillier-keys")
{
    return PaillierKeyCommand.Run(args[1..]);
}

WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.AddEnvironmentVariables("FEDLEARN_");
builder.Configuration.AddCommandLine(args, CommandLineSwitches.For(ServerSettings.Section, CommandLineSwitches.PropertiesOf<ServerSettings>()));
ServerSettings settings = builder.Configuration.GetSection(ServerSettings.Section).Get<ServerSettings>() ?? new ServerSettings();
_ = ServerPipelineOptions.Read(settings, out IReadOnlyList<string> problems);
if (problems.Count > 0)
{
    foreach (string problem in problems)
    {
        Console.Error.WriteLine($"error: {problem}");
    }

    return 2;
}

builder.Services.Configure<ServerSettings>(builder.Configuration.GetSection(ServerSettings.Section));
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownGraceSeconds + 15));
builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Listen(IPAddress.Any, settings.Port, listen =>
    {
        if (settings.Plaintext)
        {
            listen.UseFedLearnPlaintext();
        }
        else
        {
            listen.UseFedLearnMutualTls(new ServerTlsOptions { CertificatePath = settings.Certificate, KeyPath = settings.Key, ClientCaPath = settings.CaCertificate });
        }
    });
    kestrel.Listen(IPAddress.Any, settings.ManagementPort, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
});

builder.Services.AddFedLearnGrpcServer(o =>
{
    o.ChunkBytes = settings.ChunkBytes;
    o.MaxMessageBytes = settings.MaxMessageBytes;
    o.HeartbeatInterval = TimeSpan.FromSeconds(settings.HeartbeatSeconds);
    o.DropoutTimeout = TimeSpan.FromSeconds(settings.DropoutSeconds);
    o.ReconnectGracePeriod = TimeSpan.FromSeconds(settings.ReconnectGraceSeconds);
    o.RequireClientCertificate = !settings.Plaintext;
});
// The secure-aggregation stages and the settings check travel as extension messages.
builder.Services.AddSecureAggregation();
builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<FedLearn.Transport.IMessageSerializer, PipelineMessageSerializer>());
builder.Services.AddGrpcHealthChecks().AddCheck("federation", () => Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult.Healthy());
builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
{
    metrics.AddMeter(FedLearnTelemetry.Name).AddRuntimeInstrumentation().AddAspNetCoreInstrumentation().AddPrometheusExporter();
    foreach ((string instrument, string exportedAs) in RuntimeMetricRenames.Names)
    {
        metrics.AddView(instrument, new MetricStreamConfiguration { Name = exportedAs });
    }
});
builder.Services.AddHostedService<FederationRunner>();

WebApplication app = builder.Build();
app.MapFedLearnFederation().RequireHost($"*:{settings.Port}");
app.MapGrpcHealthChecksService().RequireHost($"*:{settings.Port}");
app.MapHealthChecks("/healthz").RequireHost($"*:{settings.ManagementPort}");
app.MapPrometheusScrapingEndpoint().RequireHost($"*:{settings.ManagementPort}");
await app.RunAsync();
return FederationRunner.ExitCode;
