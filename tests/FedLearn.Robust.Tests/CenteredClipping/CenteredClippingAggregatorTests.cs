using FedLearn.Robust.CenteredClipping;
using FsCheck;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.CenteredClipping;

public sealed class CenteredClippingAggregatorTests
{
    [Test]
    public void Keeps_its_centre_across_calls()
    {
        var cclip = new CenteredClippingAggregator(new CenteredClippingOptions { Tau = 1 });
        WeightedUpdate[] updates = TestUpdates.FromRows([3f, 0f], [0f, 0.5f]);

        // From v = 0: c0 is clipped to (1, 0), c1 kept → v = ((1 + 0)/2, (0 + 0.5)/2) = (0.5, 0.25).
        float[] first = TestUpdates.Run(cclip, updates);
        // From v = (0.5, 0.25): c0 − v = (2.5, −0.25), clipped by 1/‖·‖; c1 − v = (−0.5, 0.25), kept.
        float[] second = TestUpdates.Run(cclip, updates, out AggregationResult info);

        Assert.That(first, Is.EqualTo(new[] { 0.5f, 0.25f }).AsCollection.Within(1e-6));
        double norm = Math.Sqrt((2.5 * 2.5) + (0.25 * 0.25));
        double[] expected = [0.5 + (((2.5 / norm) - 0.5) / 2), 0.25 + (((-0.25 / norm) + 0.25) / 2)];
        Assert.That(second, Is.EqualTo(expected).AsCollection.Within(1e-6));
        Assert.That(cclip.GetCenter(), Is.EqualTo(second).AsCollection);
        Assert.That(info.Scores.Single(s => s.ClientId == "c0").Score, Is.EqualTo(norm).Within(1e-5));

        cclip.Reset();
        Assert.That(TestUpdates.Run(cclip, updates), Is.EqualTo(first).AsCollection, "reset returns to zero");
    }

    [Test]
    public void A_far_outlier_moves_the_centre_by_at_most_tau_over_n()
    {
        var cclip = new CenteredClippingAggregator(new CenteredClippingOptions { Tau = 0.5, Iterations = 3 });
        WeightedUpdate[] updates = [.. TestUpdates.FromRows([0f, 0f], [0f, 0f], [0f, 0f], [0f, 0f]), new("evil", new[] { 1e6f, 0f }, 1)];

        float[] result = TestUpdates.Run(cclip, updates);

        Assert.That(result[0], Is.LessThanOrEqualTo(3 * 0.5 / 5 * 1.0001));
    }

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public void Result_does_not_depend_on_client_order(PositiveInt clients, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        WeightedUpdate[] updates = TestUpdates.Random(random, 1 + (clients.Get % 20), length.Get % 700);
        TestUpdates.AssertOrderIndependent(() => new CenteredClippingAggregator(new CenteredClippingOptions { Tau = 3, Iterations = 2 }), updates, random);
    }

    [Test]
    public void Identical_updates_within_tau_of_zero_return_that_update() =>
        TestUpdates.AssertIdenticalGiveSame(new CenteredClippingAggregator(new CenteredClippingOptions { Tau = 100 }), 5, TestUpdates.Vector(new DeterministicRandom(5), 300), 1e-6);

    [Test]
    public void Tau_must_be_set()
    {
        Assert.That(() => new CenteredClippingAggregator(new CenteredClippingOptions()), Throws.TypeOf<OptionsValidationException>().With.Message.Contains("Tau must be positive"));
    }
}
