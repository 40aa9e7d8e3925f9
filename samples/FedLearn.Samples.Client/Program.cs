using System.Net;
using FedLearn.Samples.Client;
using FedLearn.Samples.Shared;
using FedLearn.Telemetry;
using OpenTelemetry.Metrics;

WebApplicationBuilder builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
builder.Configuration.AddEnvironmentVariables("FEDLEARN_");
builder.Configuration.AddCommandLine(args, CommandLineSwitches.For(ClientSettings.Section, CommandLineSwitches.PropertiesOf<ClientSettings>()));
ClientSettings settings = builder.Configuration.GetSection(ClientSettings.Section).Get<ClientSettings>() ?? new ClientSettings();
try
{
    // The id, partition and certificate files, from PodName in Kubernetes (ClientIdentity); a bad one stops the client here.
    settings.ResolveIdentity();
}
catch (InvalidOperationException exception)
{
    Console.Error.WriteLine($"Client configuration: {exception.Message}");
    return 2;
}

_ = ClientPipelineOptions.Read(settings, out IReadOnlyList<string> problems);
if (problems.Count > 0)
{
    foreach (string problem in problems)
    {
        Console.Error.WriteLine($"error: {problem}");
    }

    return 2;
}

builder.Services.Configure<ClientSettings>(builder.Configuration.GetSection(ClientSettings.Section));
builder.Services.PostConfigure<ClientSettings>(s => s.ResolveIdentity());
builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);

// The client opens no port towards the federation: it connects out. The management port serves /metrics and /healthz.
builder.WebHost.ConfigureKestrel(kestrel =>
{
    // Port 0 picks a free loopback port (tests run several clients on one machine).
    kestrel.Listen(settings.ManagementPort > 0 ? IPAddress.Any : IPAddress.Loopback, settings.ManagementPort, listen => listen.Protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1);
});
builder.Services.AddHealthChecks();
builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
{
    metrics.AddMeter(FedLearnTelemetry.Name).AddRuntimeInstrumentation().AddAspNetCoreInstrumentation().AddPrometheusExporter();
    foreach ((string instrument, string exportedAs) in RuntimeMetricRenames.Names)
    {
        metrics.AddView(instrument, new MetricStreamConfiguration { Name = exportedAs });
    }
});
builder.Services.AddHostedService<ClientRunner>();

WebApplication app = builder.Build();
app.MapHealthChecks("/healthz");
app.MapPrometheusScrapingEndpoint();
await app.RunAsync();
return ClientRunner.ExitCode;
