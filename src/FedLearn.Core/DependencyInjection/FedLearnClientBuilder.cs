using FedLearn;
using FedLearn.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures the components of the client registered by <c>AddFedLearnClient</c>.</summary>
public sealed class FedLearnClientBuilder
{
    internal FedLearnClientBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Trains with <paramref name="trainer"/>.</summary>
    public FedLearnClientBuilder UseTrainer(ILocalTrainer trainer) => Replace(trainer);

    /// <summary>Trains with a trainer built from the container.</summary>
    public FedLearnClientBuilder UseTrainer(Func<IServiceProvider, ILocalTrainer> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton<ILocalTrainer>(factory));
        return this;
    }

    /// <summary>Compresses updates with <paramref name="compressor"/>.</summary>
    public FedLearnClientBuilder UseCompressor(ICompressor compressor) => Replace(compressor);

    /// <summary>Privatizes updates with <paramref name="engine"/>.</summary>
    public FedLearnClientBuilder UsePrivacyEngine(IPrivacyEngine engine) => Replace(engine);

    /// <summary>Connects to an in-process server's <see cref="InMemoryTransport"/>.</summary>
    public FedLearnClientBuilder UseInMemoryTransport(InMemoryTransport server)
    {
        ArgumentNullException.ThrowIfNull(server);
        Services.Replace(ServiceDescriptor.Singleton<IClientTransport>(new InMemoryClientTransport(server)));
        return this;
    }

    private FedLearnClientBuilder Replace<T>(T instance)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(instance);
        Services.Replace(ServiceDescriptor.Singleton(instance));
        return this;
    }
}
