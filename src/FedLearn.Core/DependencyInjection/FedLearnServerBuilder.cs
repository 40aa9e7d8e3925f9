using FedLearn;
using FedLearn.Server;
using FedLearn.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the components of the server registered by <c>AddFedLearnServer</c>.</summary>
public sealed class FedLearnServerBuilder
{
    internal FedLearnServerBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Uses <paramref name="aggregator"/> instead of FedAvg.</summary>
    public FedLearnServerBuilder UseAggregator(IAggregator aggregator) => Replace(aggregator);

    /// <summary>Uses <paramref name="optimizer"/> instead of FedAvg's server step.</summary>
    public FedLearnServerBuilder UseServerOptimizer(IServerOptimizer optimizer) => Replace(optimizer);

    /// <summary>Decodes client updates with <paramref name="compressor"/>.</summary>
    public FedLearnServerBuilder UseCompressor(ICompressor compressor) => Replace(compressor);

    /// <summary>Screens updates before aggregation.</summary>
    public FedLearnServerBuilder UseScreener(IUpdateScreener screener) => Replace(screener);

    /// <summary>Evaluates the global model on server-side data.</summary>
    public FedLearnServerBuilder UseCentralEvaluator(ICentralEvaluator evaluator) => Replace(evaluator);

    /// <summary>Reports progress to <paramref name="observer"/> (several may be added).</summary>
    public FedLearnServerBuilder AddObserver(IRoundObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        Services.AddSingleton(observer);
        return this;
    }

    /// <summary>Starts from these weights.</summary>
    public FedLearnServerBuilder UseInitialWeights(ModelWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        Services.Replace(ServiceDescriptor.Singleton(new InitialWeights(weights)));
        return this;
    }

    /// <summary>Starts from weights made by <paramref name="factory"/> when the server is first resolved.</summary>
    public FedLearnServerBuilder UseInitialWeights(Func<IServiceProvider, ModelWeights> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(sp => new InitialWeights(factory(sp))));
        return this;
    }

    /// <summary>Runs over an in-process <see cref="InMemoryTransport"/> (registered as a singleton, so in-process clients can connect to it).</summary>
    public FedLearnServerBuilder UseInMemoryTransport(InMemoryTransportOptions? options = null)
    {
        Services.TryAddSingleton(_ => new InMemoryTransport(options));
        Services.Replace(ServiceDescriptor.Singleton<IServerTransport>(sp => sp.GetRequiredService<InMemoryTransport>()));
        return this;
    }

    private FedLearnServerBuilder Replace<T>(T instance)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        Services.Replace(ServiceDescriptor.Singleton(instance));
        return this;
    }
}

/// <summary>The initial global weights registered by <see cref="FedLearnServerBuilder.UseInitialWeights(ModelWeights)"/>.</summary>
/// <param name="Weights">The weights.</param>
public sealed record InitialWeights(ModelWeights Weights);
