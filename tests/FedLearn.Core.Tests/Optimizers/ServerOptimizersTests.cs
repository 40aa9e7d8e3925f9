using FedLearn.Optimizers;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Optimizers;

public sealed class ServerOptimizersTests
{
    [TestCase("fedavg", typeof(FedAvgOptimizer))]
    [TestCase("fedavgm", typeof(FedAvgMOptimizer))]
    [TestCase("fedadam", typeof(FedAdamOptimizer))]
    [TestCase("fedyogi", typeof(FedYogiOptimizer))]
    [TestCase("fedadagrad", typeof(FedAdagradOptimizer))]
    [TestCase("  FedAdam ", typeof(FedAdamOptimizer))]
    public void Parses_every_name(string text, Type expected)
    {
        IServerOptimizer optimizer = ServerOptimizers.Parse(text);

        Assert.That(optimizer, Is.InstanceOf(expected));
        Assert.That(optimizer.Name, Is.EqualTo(text.Trim().ToLowerInvariant()));
    }

    [Test]
    public void Every_listed_name_parses()
    {
        Assert.That(ServerOptimizers.Names.Select(n => ServerOptimizers.Parse(n).Name), Is.EqualTo(ServerOptimizers.Names));
    }

    [Test]
    public void Takes_the_server_learning_rate_from_the_text_or_the_argument()
    {
        float[] fromText = [0f];
        float[] fromArgument = [0f];

        ServerOptimizers.Parse("fedavg:0.25").Step(fromText, [2f]);
        ServerOptimizers.Parse("fedavg", serverLearningRate: 0.75).Step(fromArgument, [2f]);

        Assert.That(fromText[0], Is.EqualTo(0.5f));
        Assert.That(fromArgument[0], Is.EqualTo(1.5f));
    }

    [Test]
    public void An_unknown_name_lists_the_known_ones()
    {
        var error = Assert.Throws<ArgumentException>(() => ServerOptimizers.Parse("fedsgd"));
        Assert.That(error!.Message, Does.Contain("Unknown server optimizer 'fedsgd'. Use one of fedavg, fedavgm, fedadam, fedyogi, fedadagrad"));
    }

    [Test]
    public void A_learning_rate_that_is_not_a_number_is_named()
    {
        var error = Assert.Throws<ArgumentException>(() => ServerOptimizers.Parse("fedadam:fast"));
        Assert.That(error!.Message, Does.Contain("The server learning rate 'fast' in 'fedadam:fast' is not a number"));
    }

    [Test]
    public void A_learning_rate_given_twice_is_an_error()
    {
        var error = Assert.Throws<ArgumentException>(() => ServerOptimizers.Parse("fedyogi:0.1", 0.2));
        Assert.That(error!.Message, Does.Contain("given twice"));
    }

    [Test]
    public void A_negative_learning_rate_fails_validation()
    {
        var error = Assert.Throws<OptionsValidationException>(() => ServerOptimizers.Parse("fedadagrad:-1"));
        Assert.That(error!.Message, Is.EqualTo("FedAdagradOptions.ServerLearningRate: must be positive and finite"));
    }
}
