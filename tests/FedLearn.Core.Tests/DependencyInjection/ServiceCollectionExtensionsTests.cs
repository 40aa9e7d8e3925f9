using FedLearn.Client;
using FedLearn.Data;
using FedLearn.Server;
using FedLearn.Training;
using FedLearn.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.DependencyInjection;

[TestFixture]
public sealed class ServiceCollectionExtensionsTests
{
    [Test]
    public void Invalid_server_options_fail_at_start_up_with_every_error_listed()
    {
        var services = new ServiceCollection();
        services.AddFedLearnServer(o =>
        {
            o.Rounds = 0;
            o.MinFitClients = 4;
            o.MinAvailableClients = 2;
        }).UseInMemoryTransport().UseInitialWeights(new ModelWeights([("w", [2])]));
        using ServiceProvider provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.That(exception!.Message, Does.Contain("FederatedServerOptions.Rounds"));
        Assert.That(exception.Message, Does.Contain("MinFitClients (4) must not exceed MinAvailableClients (2)"));
    }

    [Test]
    public void A_client_without_an_id_fails_at_start_up()
    {
        var services = new ServiceCollection();
        services.AddFedLearnClient(o => o.ClientId = " bad id").UseTrainer(_ => throw new InvalidOperationException("not reached"));
        using ServiceProvider provider = services.BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.That(exception!.Message, Does.Contain("ClientId must be 1 to 128 letters"));
    }

    [Test]
    public void A_server_without_initial_weights_says_what_is_missing()
    {
        var services = new ServiceCollection();
        services.AddFedLearnServer().UseInMemoryTransport();
        using ServiceProvider provider = services.BuildServiceProvider();

        Assert.That(() => provider.GetRequiredService<FederatedServer>(), Throws.InvalidOperationException.With.Message.Contains("UseInitialWeights"));
    }

    [Test]
    public async Task Server_and_clients_assembled_from_containers_train_together_in_process()
    {
        FederatedDataLoader data = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { ClientCount = 3, TrainSubset = 3000, Seed = 42 });
        var serverServices = new ServiceCollection();
        serverServices.AddFedLearnServer(o =>
        {
            o.Rounds = 3;
            o.MinFitClients = 3;
            o.MinAvailableClients = 3;
            o.LearningRate = 0.05;
            o.AvailabilityTimeout = TimeSpan.FromSeconds(30);
        })
            .UseInMemoryTransport()
            .UseInitialWeights(SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 1));
        await using ServiceProvider server = serverServices.BuildServiceProvider();
        InMemoryTransport hub = server.GetRequiredService<InMemoryTransport>();

        using var stop = new CancellationTokenSource();
        var clientProviders = new List<ServiceProvider>();
        var clientRuns = new List<Task>();
        for (int i = 0; i < 3; i++)
        {
            int index = i;
            var clientServices = new ServiceCollection();
            clientServices.AddFedLearnClient(o => o.ClientId = $"hospital-{index}")
                .UseTrainer(_ => new SoftmaxRegressionTrainer(data.GetClient(index).Train, data.GetClient(index).Test))
                .UseInMemoryTransport(hub);
            ServiceProvider provider = clientServices.BuildServiceProvider();
            clientProviders.Add(provider);
            FederatedClient client = provider.GetRequiredService<FederatedClient>();
            clientRuns.Add(client.RunAsync(provider.GetRequiredService<IClientTransport>(), stop.Token));
        }

        FederatedRunResult run = await server.GetRequiredService<FederatedServer>().RunAsync();
        await stop.CancelAsync();
        await Task.WhenAll(clientRuns);

        Assert.That(run.Rounds, Has.Count.EqualTo(3));
        Assert.That(run.Rounds.All(r => r.Succeeded), Is.True);
        Assert.That(run.Rounds[^1].Aggregated, Is.EqualTo(new[] { "hospital-0", "hospital-1", "hospital-2" }));
        Assert.That(run.Rounds[^1].Training!.Loss, Is.LessThan(run.Rounds[0].Training!.Loss));
        Assert.That(hub.GetAvailableClients(), Is.Empty, "stopped clients disconnect");
        foreach (ServiceProvider provider in clientProviders)
        {
            await provider.DisposeAsync();
        }
    }
}
