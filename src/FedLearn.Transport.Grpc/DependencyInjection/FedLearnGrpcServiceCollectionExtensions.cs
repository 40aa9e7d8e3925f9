using FedLearn.Options;
using FedLearn.Transport;
using FedLearn.Transport.Grpc.Client;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the gRPC transport's server and client sides.</summary>
public static class FedLearnGrpcServiceCollectionExtensions
{
    /// <summary>
    /// Registers the gRPC services and a <see cref="GrpcServerTransport"/> as the <see cref="IServerTransport"/>, with
    /// every registered <see cref="IMessageSerializer"/>. Map the service with <see cref="MapFedLearnFederation"/>.
    /// gRPC's own message size limit is set to one chunk (plus its frame): no whole model is ever one gRPC message.
    /// Kestrel's HTTP/2 flow-control windows are set from <see cref="GrpcServerOptions.Http2ConnectionWindowBytes"/> and
    /// <see cref="GrpcServerOptions.Http2StreamWindowBytes"/> (server-wide).
    /// </summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message lists every invalid setting.</exception>
    public static IServiceCollection AddFedLearnGrpcServer(this IServiceCollection services, Action<GrpcServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new GrpcServerOptions();
        configure?.Invoke(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(GrpcServerOptions));
        var limits = new TransportLimits(options.ChunkBytes, options.MaxMessageBytes, options.MaxTensors);
        services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = limits.MaxGrpcMessageBytes;
            grpc.MaxSendMessageSize = null;
            grpc.EnableDetailedErrors = false;
        });
        services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.Http2.InitialConnectionWindowSize = options.Http2ConnectionWindowBytes;
            kestrel.Limits.Http2.InitialStreamWindowSize = options.Http2StreamWindowBytes;
        });
        services.TryAddSingleton(sp => new GrpcServerTransport(options, sp.GetServices<IMessageSerializer>(), sp.GetService<ILogger<GrpcServerTransport>>()));
        services.TryAddSingleton<IServerTransport>(sp => sp.GetRequiredService<GrpcServerTransport>());
        return services;
    }

    /// <summary>Registers a <see cref="GrpcClientTransport"/> as the <see cref="IClientTransport"/>, with every registered <see cref="IMessageSerializer"/>.</summary>
    public static IServiceCollection AddFedLearnGrpcClient(this IServiceCollection services, Action<GrpcClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new GrpcClientOptions();
        configure(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(GrpcClientOptions));
        services.TryAddSingleton(sp => new GrpcClientTransport(options, sp.GetServices<IMessageSerializer>(), sp.GetService<ILogger<GrpcClientTransport>>()));
        services.TryAddSingleton<IClientTransport>(sp => sp.GetRequiredService<GrpcClientTransport>());
        return services;
    }

    /// <summary>Maps the <c>fedlearn.v1.Federation</c> service.</summary>
    public static GrpcServiceEndpointConventionBuilder MapFedLearnFederation(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints.MapGrpcService<FederationService>();
    }
}
