using FedLearn.Options;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.Privacy.SecureAggregation.Wire;
using FedLearn.SecureAggregation;
using FedLearn.Transport;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers secure aggregation (SecAgg+ or Paillier) on a FedLearn server or client.</summary>
public static class SecureAggregationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="IMessageSerializer"/> for the secure-aggregation message kinds, so that network transports
    /// can carry them. The Use* methods below call it; call it directly on a host that only relays messages.
    /// </summary>
    public static IServiceCollection AddSecureAggregation(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageSerializer, SecureAggregationMessageSerializer>());
        return services;
    }

    /// <summary>Runs every round with SecAgg+ (the options are validated now, every error listed at once).</summary>
    public static FedLearnServerBuilder UseSecAggPlus(this FedLearnServerBuilder builder, Action<SecAggPlusOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new SecAggPlusOptions();
        configure?.Invoke(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(SecAggPlusOptions));
        builder.Services.AddSecureAggregation();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecureAggregationProtocol>(sp => new SecAggPlusServer(options, sp.GetService<Microsoft.Extensions.Logging.ILogger<SecAggPlusServer>>())));
        return builder;
    }

    /// <summary>Answers SecAgg+ stages and masks the client's updates.</summary>
    public static FedLearnClientBuilder UseSecAggPlus(this FedLearnClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSecureAggregation();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecureAggregationClient, SecAggPlusClient>());
        return builder;
    }

    /// <summary>Runs every round with Paillier aggregation; the server holds only <paramref name="publicKey"/>.</summary>
    public static FedLearnServerBuilder UsePaillier(this FedLearnServerBuilder builder, PaillierPublicKey publicKey, PaillierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(publicKey);
        options ??= new PaillierOptions { KeyBits = publicKey.Bits };
        OptionsValidation.ThrowIfInvalid(options, nameof(PaillierOptions));
        builder.Services.AddSecureAggregation();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecureAggregationProtocol>(_ => new PaillierSecureAggregation(publicKey, options)));
        return builder;
    }

    /// <summary>Encrypts the client's updates with Paillier and decrypts sums on request; the client holds <paramref name="privateKey"/>.</summary>
    public static FedLearnClientBuilder UsePaillier(this FedLearnClientBuilder builder, PaillierPrivateKey privateKey, PaillierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(privateKey);
        options ??= new PaillierOptions { KeyBits = privateKey.PublicKey.Bits };
        OptionsValidation.ThrowIfInvalid(options, nameof(PaillierOptions));
        builder.Services.AddSecureAggregation();
        builder.Services.Replace(ServiceDescriptor.Singleton<ISecureAggregationClient>(_ => new PaillierAggregationClient(privateKey, options)));
        return builder;
    }
}
