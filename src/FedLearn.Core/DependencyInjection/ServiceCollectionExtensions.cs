using FedLearn;
using FedLearn.Aggregation;
using FedLearn.Client;
using FedLearn.DependencyInjection;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers FedLearn's server and client in a service collection.</summary>
public static class FedLearnServiceCollectionExtensions
{
    /// <summary>
    /// Registers a <see cref="FederatedServer"/> with FedAvg aggregation and server step by default. The options are
    /// validated at start-up (<c>ValidateOnStart</c>) and again when the server is built; one exception lists every
    /// error. A transport (<see cref="IServerTransport"/>) and initial weights must be registered, for example with
    /// <see cref="FedLearnServerBuilder.UseInMemoryTransport"/> and <see cref="FedLearnServerBuilder.UseInitialWeights(ModelWeights)"/>.
    /// </summary>
    public static FedLearnServerBuilder AddFedLearnServer(this IServiceCollection services, Action<FederatedServerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<FederatedServerOptions> options = services.AddOptions<FederatedServerOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FederatedServerOptions>, ValidateOptionsWithAnnotations<FederatedServerOptions>>());
        services.TryAddSingleton<IAggregator, FederatedAveraging>();
        services.TryAddSingleton<IServerOptimizer>(_ => new FedAvgOptimizer());
        services.TryAddSingleton(sp => new FederatedServer(
            sp.GetRequiredService<IOptions<FederatedServerOptions>>().Value,
            sp.GetService<IServerTransport>() ?? throw new InvalidOperationException("No IServerTransport is registered: call UseInMemoryTransport() or add a network transport."),
            (sp.GetService<InitialWeights>() ?? throw new InvalidOperationException("No initial weights are registered: call UseInitialWeights(...).")).Weights,
            new ServerPipeline
            {
                Aggregator = sp.GetRequiredService<IAggregator>(),
                Optimizer = sp.GetRequiredService<IServerOptimizer>(),
                Compressor = sp.GetService<ICompressor>(),
                Screener = sp.GetService<IUpdateScreener>(),
                CentralEvaluator = sp.GetService<ICentralEvaluator>(),
                Eligibility = sp.GetService<IClientEligibility>(),
                SecureAggregation = sp.GetService<FedLearn.SecureAggregation.ISecureAggregationProtocol>(),
                Observers = sp.GetServices<IRoundObserver>().ToArray(),
            },
            sp.GetService<ILogger<FederatedServer>>()));
        return new FedLearnServerBuilder(services);
    }

    /// <summary>
    /// Registers a <see cref="FederatedClient"/>. Its id comes from <see cref="FederatedClientOptions"/>, validated at
    /// start-up; a trainer must be registered (<see cref="FedLearnClientBuilder.UseTrainer(ILocalTrainer)"/>).
    /// </summary>
    public static FedLearnClientBuilder AddFedLearnClient(this IServiceCollection services, Action<FederatedClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        OptionsBuilder<FederatedClientOptions> options = services.AddOptions<FederatedClientOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FederatedClientOptions>, ValidateOptionsWithAnnotations<FederatedClientOptions>>());
        services.TryAddSingleton(sp => new FederatedClient(
            sp.GetRequiredService<IOptions<FederatedClientOptions>>().Value.ClientId,
            sp.GetService<ILocalTrainer>() ?? throw new InvalidOperationException("No ILocalTrainer is registered: call UseTrainer(...)."),
            new ClientPipeline { Compressor = sp.GetService<ICompressor>(), PrivacyEngine = sp.GetService<IPrivacyEngine>(), SecureAggregation = sp.GetService<FedLearn.SecureAggregation.ISecureAggregationClient>() },
            state: null,
            sp.GetService<ILogger<FederatedClient>>()));
        return new FedLearnClientBuilder(services);
    }
}
