using FedLearn.Aggregation;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Mechanisms;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.ClientLevel;

public sealed class ClientSideFixedClippingTests
{
    [Test]
    public void Clients_clip_and_the_server_averages_and_adds_noise()
    {
        var engine = new ClientSideClippingEngine(1.0);
        float[] a = [3f, 4f];
        float[] b = [0f, 0.5f];
        engine.PrivatizeUpdate(a, round: 1, seed: 0);
        engine.PrivatizeUpdate(b, round: 1, seed: 0);
        var server = new ClientSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { ClippingNorm = 1.0, NoiseMultiplier = 0 }, new SeededGaussianNoise(1));
        float[] destination = new float[2];

        server.Aggregate([new("a", a, 10), new("b", b, 1)], destination);

        Assert.That(L2Clipping.Norm(a), Is.LessThanOrEqualTo(1.0));
        Assert.That(b, Is.EqualTo(new[] { 0f, 0.5f }).AsCollection);
        Assert.That(destination[0], Is.EqualTo(0.3f).Within(1e-6f));
        Assert.That(destination[1], Is.EqualTo(0.65f).Within(1e-6f));
        Assert.That(server.UpdatesClippedByServer, Is.Zero);
        Assert.That(engine.GetSpent(1e-5).Epsilon, Is.EqualTo(double.PositiveInfinity));
        Assert.That(engine.Name, Is.EqualTo("client-clip:1"));
        Assert.That(server.Name, Is.EqualTo("dp-client-fixed(fedavg)"));
    }

    [Test]
    public void A_client_that_skipped_clipping_is_clipped_by_the_server_and_counted()
    {
        var server = new ClientSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { ClippingNorm = 1.0, NoiseMultiplier = 0 }, new SeededGaussianNoise(1));
        float[] destination = new float[2];

        server.Aggregate([new("cheat", new float[] { 30f, 40f }, 1)], destination);

        Assert.That(L2Clipping.Norm(destination), Is.LessThanOrEqualTo(1.0));
        Assert.That(server.UpdatesClippedByServer, Is.EqualTo(1));
    }

    [Test]
    public void The_engine_rejects_a_bad_norm()
    {
        Assert.That(() => new ClientSideClippingEngine(0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("maxNorm"));
    }
}
