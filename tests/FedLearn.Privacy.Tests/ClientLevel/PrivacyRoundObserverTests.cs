using FedLearn.Aggregation;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Mechanisms;
using System.Diagnostics.Metrics;
using FedLearn.Server;
using FedLearn.Telemetry;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.ClientLevel;

public sealed class PrivacyRoundObserverTests
{
    [Test]
    public void Records_epsilon_after_every_successful_round_and_charges_the_aggregated_clients()
    {
        var aggregator = new ServerSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { NoiseMultiplier = 1.0, SampleRate = 0.5 }, new SeededGaussianNoise(1));
        var observer = new PrivacyRoundObserver(aggregator, 1e-5, noiseMultiplier: 1.0, sampleRate: 0.5);
        float[] destination = new float[2];

        for (int round = 1; round <= 3; round++)
        {
            string[] aggregated = round == 2 ? ["a"] : ["a", "b"];
            aggregator.Aggregate([.. aggregated.Select(id => new WeightedUpdate(id, new float[] { 1f, 0f }, 1))], destination);
            observer.OnRoundCompleted(new RoundResult { Round = round, Succeeded = true, Aggregated = aggregated });
        }

        observer.OnRoundCompleted(new RoundResult { Round = 4, Succeeded = false, FailureReason = "quorum" });

        var oneStep = new RdpAccountant();
        oneStep.AddSteps(1.0, 0.5, 1);
        var twoSteps = new RdpAccountant();
        twoSteps.AddSteps(1.0, 0.5, 2);
        var threeSteps = new RdpAccountant();
        threeSteps.AddSteps(1.0, 0.5, 3);
        Assert.That(observer.Rounds.Select(r => r.Round), Is.EqualTo(new[] { 1, 2, 3 }));
        Assert.That(observer.Rounds.Select(r => r.Epsilon), Is.EqualTo(new[] { oneStep.GetEpsilon(1e-5), twoSteps.GetEpsilon(1e-5), threeSteps.GetEpsilon(1e-5) }));
        Assert.That(observer.GetClientSpent("a").Epsilon, Is.EqualTo(threeSteps.GetEpsilon(1e-5)));
        Assert.That(observer.GetClientSpent("b").Epsilon, Is.EqualTo(twoSteps.GetEpsilon(1e-5)));
    }

    [Test]
    public void Without_a_ledger_per_client_queries_say_so()
    {
        var aggregator = new ServerSideFixedClippingAggregator(new FederatedAveraging(), new FixedClippingOptions());
        var observer = new PrivacyRoundObserver(aggregator, 1e-5);

        Assert.That(() => observer.GetClientSpent("a"), Throws.InvalidOperationException.With.Message.Contains("no per-client ledger"));
        Assert.That(() => new PrivacyRoundObserver(aggregator, 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("delta"));
    }
    [Test]
    public void Publishes_the_epsilon_spent_as_a_gauge_tagged_with_delta()
    {
        var aggregator = new ServerSideFixedClippingAggregator(
            new FederatedAveraging(), new FixedClippingOptions { NoiseMultiplier = 1.0, SampleRate = 0.5 }, new SeededGaussianNoise(2));
        var observer = new PrivacyRoundObserver(aggregator, 1e-5);
        var recorded = new List<(double Epsilon, object? Delta)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FedLearnTelemetry.Name && instrument.Name == "fedlearn.privacy.epsilon")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, tags, _) =>
        {
            object? delta = null;
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "fedlearn.privacy.delta")
                {
                    delta = tag.Value;
                }
            }

            lock (recorded)
            {
                recorded.Add((value, delta));
            }
        });
        listener.Start();

        float[] destination = new float[2];
        for (int round = 1; round <= 2; round++)
        {
            aggregator.Aggregate([new WeightedUpdate("a", new float[] { 1f, 0f }, 1)], destination);
            observer.OnRoundCompleted(new RoundResult { Round = round, Succeeded = true, Aggregated = ["a"] });
        }

        (double Epsilon, object? Delta)[] ours;
        lock (recorded)
        {
            ours = [.. recorded.Where(r => Equals(r.Delta, 1e-5))];
        }

        Assert.That(ours.Select(r => r.Epsilon), Is.EqualTo(observer.Rounds.Select(r => r.Epsilon)));
        Assert.That(ours[1].Epsilon, Is.GreaterThan(ours[0].Epsilon));
    }
}
