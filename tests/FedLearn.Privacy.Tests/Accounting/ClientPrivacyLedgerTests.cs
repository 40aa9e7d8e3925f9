using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

public sealed class ClientPrivacyLedgerTests
{
    private const double Delta = 1e-5;

    [Test]
    public void A_client_is_charged_only_for_the_rounds_it_took_part_in()
    {
        var ledger = new ClientPrivacyLedger();
        for (int round = 0; round < 100; round++)
        {
            // "often" takes part every round, "rarely" every tenth round, "never" not at all.
            ledger.RecordRound(round % 10 == 0 ? ["often", "rarely"] : ["often"], 1.0, 0.1);
        }

        var expectedOften = new RdpAccountant();
        expectedOften.AddSteps(1.0, 0.1, 100);
        var expectedRarely = new RdpAccountant();
        expectedRarely.AddSteps(1.0, 0.1, 10);

        Assert.That(ledger.ParticipationCount("often"), Is.EqualTo(100));
        Assert.That(ledger.ParticipationCount("rarely"), Is.EqualTo(10));
        Assert.That(ledger.ParticipationCount("never"), Is.Zero);
        Assert.That(ledger.GetClientSpent("often", Delta).Epsilon, Is.EqualTo(expectedOften.GetEpsilon(Delta)));
        Assert.That(ledger.GetClientSpent("rarely", Delta).Epsilon, Is.EqualTo(expectedRarely.GetEpsilon(Delta)));
        Assert.That(ledger.GetClientSpent("never", Delta).Epsilon, Is.Zero);
        Assert.That(ledger.GetServerSpent(Delta).Epsilon, Is.EqualTo(expectedOften.GetEpsilon(Delta)));
        Assert.That(ledger.Rounds, Is.EqualTo(100));
        Assert.That(ledger.Clients, Is.EquivalentTo(new[] { "often", "rarely" }));
    }

    [Test]
    public void The_server_view_bounds_every_client_and_unamplified_ledgers_charge_more()
    {
        var amplified = new ClientPrivacyLedger(ClientLedgerMode.Amplified);
        var unamplified = new ClientPrivacyLedger(ClientLedgerMode.Unamplified);
        for (int round = 0; round < 50; round++)
        {
            string[] participants = [$"c{round % 7}", $"c{(round * 3) % 7}", "c0", "c0"];
            amplified.RecordRound(participants, 2.0, 0.05);
            unamplified.RecordRound(participants, 2.0, 0.05);
        }

        double server = amplified.GetServerSpent(Delta).Epsilon;
        foreach (string client in amplified.Clients)
        {
            Assert.That(amplified.GetClientSpent(client, Delta).Epsilon, Is.LessThanOrEqualTo(server));
            Assert.That(unamplified.GetClientSpent(client, Delta).Epsilon, Is.GreaterThan(amplified.GetClientSpent(client, Delta).Epsilon));
        }

        // Duplicates in one round count once.
        Assert.That(amplified.ParticipationCount("c0"), Is.EqualTo(50));
    }

    [Test]
    public void Rejects_bad_input()
    {
        var ledger = new ClientPrivacyLedger();

        Assert.That(() => ledger.RecordRound(["a", null!], 1, 0.1), Throws.ArgumentNullException);
        Assert.That(() => ledger.RecordRound(["a"], 1, 2), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
        Assert.That(() => ledger.GetClientSpent("a", 0), Throws.TypeOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("delta"));
        Assert.That(() => new ClientPrivacyLedger((ClientLedgerMode)7), Throws.TypeOf<ArgumentOutOfRangeException>());
    }
}
