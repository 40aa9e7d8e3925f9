using FedLearn.Robust.Screening;
using FedLearn.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.DependencyInjection;

public sealed class FedLearnRobustServerBuilderExtensionsTests
{
    [Test]
    public void Registers_the_parsed_aggregator_the_screener_and_the_reputation_as_eligibility()
    {
        var services = new ServiceCollection();
        services.AddFedLearnServer()
            .UseRobustAggregator("multikrum:2", "nnm:2")
            .UseUpdateScreening(reputation: new ClientReputationOptions { MaxFlags = 2 });

        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(provider.GetRequiredService<IAggregator>().Name, Is.EqualTo("nnm:2>multikrum:2"));
        Assert.That(provider.GetRequiredService<IUpdateScreener>(), Is.TypeOf<UpdateScreener>());
        Assert.That(provider.GetRequiredService<IClientEligibility>(), Is.SameAs(provider.GetRequiredService<ClientReputation>()));
    }

    [Test]
    public void Bad_specs_and_options_fail_at_configuration()
    {
        var services = new ServiceCollection();
        FedLearnServerBuilder builder = services.AddFedLearnServer();

        Assert.That(() => builder.UseRobustAggregator("krum:2", "nmm:1"), Throws.TypeOf<FormatException>().With.Message.Contains("'nmm:1'"));
        Assert.That(() => builder.UseUpdateScreening(new UpdateScreenerOptions { NormThreshold = -1 }), Throws.TypeOf<OptionsValidationException>().With.Message.Contains("NormThreshold"));
    }
}
