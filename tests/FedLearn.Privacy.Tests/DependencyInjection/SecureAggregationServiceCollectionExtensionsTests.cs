using FedLearn.Client;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.Privacy.SecureAggregation.Wire;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Training;
using FedLearn.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.DependencyInjection;

public sealed class SecureAggregationServiceCollectionExtensionsTests
{
    [Test]
    public void The_server_and_client_get_the_protocol_and_the_wire_serializer()
    {
        var services = new ServiceCollection();
        services.AddFedLearnServer()
            .UseInMemoryTransport()
            .UseInitialWeights(SoftmaxRegressionTrainer.CreateZeroWeights(4, 2))
            .UseSecAggPlus(o => { o.NumShares = 7; o.ReconstructionThreshold = 4; });
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<ISecureAggregationProtocol>(), Is.InstanceOf<SecAggPlusServer>().With.Property("Name").EqualTo("secagg+:7,4"));
        Assert.That(provider.GetServices<IMessageSerializer>().Single(), Is.InstanceOf<SecureAggregationMessageSerializer>());
        Assert.That(provider.GetRequiredService<FederatedServer>(), Is.Not.Null);

        var clientServices = new ServiceCollection();
        clientServices.AddSecureAggregation().AddFedLearnClient(o => o.ClientId = "a").UseSecAggPlus();
        using ServiceProvider clientProvider = clientServices.BuildServiceProvider();
        Assert.That(clientProvider.GetRequiredService<ISecureAggregationClient>(), Is.InstanceOf<SecAggPlusClient>());
        Assert.That(clientProvider.GetServices<IMessageSerializer>().Count(), Is.EqualTo(1));
    }

    [Test]
    public void Invalid_settings_fail_when_registered_listing_every_error()
    {
        var services = new ServiceCollection();

        Assert.That(
            () => services.AddFedLearnServer().UseSecAggPlus(o => { o.NumShares = 4; o.ReconstructionThreshold = 9; }),
            Throws.InstanceOf<OptionsValidationException>().With.Message.Contains("NumShares: must be odd").And.Message.Contains("ReconstructionThreshold: (9) must not exceed NumShares (4)"));
    }
}
