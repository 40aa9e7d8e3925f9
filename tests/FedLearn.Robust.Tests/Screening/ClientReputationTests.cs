using FedLearn.Robust.Screening;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Screening;

public sealed class ClientReputationTests
{
    [Test]
    public void A_client_flagged_max_flags_times_within_the_window_is_not_eligible_until_the_flags_age_out()
    {
        var reputation = new ClientReputation(new ClientReputationOptions { Window = 5, MaxFlags = 3 });
        ClientFlag flag = new("x", 9, "norm", true);
        reputation.Record(2, [flag]);
        reputation.Record(4, [flag]);
        reputation.Record(4, [flag]);

        Assert.That(reputation.IsEligible("x", 5), Is.True, "two distinct flagged rounds");

        reputation.Record(6, [flag]);

        Assert.That(reputation.IsEligible("x", 7), Is.False, "rounds 2, 4, 6 lie in 2..6");
        Assert.That(reputation.IsEligible("x", 8), Is.True, "rounds 3..7 hold only 4 and 6");
        Assert.That(reputation.CountFlagsBefore("x", 7), Is.EqualTo(3));
        Assert.That(reputation.CountFlagsBefore("x", 8), Is.EqualTo(2));
        Assert.That(reputation.CountFlagsBefore("y", 8), Is.Zero);
        Assert.That(reputation.Window, Is.EqualTo(5));
    }

    [Test]
    public void Old_flags_age_out()
    {
        var reputation = new ClientReputation(new ClientReputationOptions { Window = 3, MaxFlags = 2 });
        reputation.Record(1, [new ClientFlag("x", 9, "norm", true)]);
        reputation.Record(2, [new ClientFlag("x", 9, "norm", true)]);

        Assert.That(reputation.IsEligible("x", 3), Is.False);
        Assert.That(reputation.IsEligible("x", 4), Is.False, "rounds 1..3 hold 1 and 2");
        Assert.That(reputation.IsEligible("x", 5), Is.True, "rounds 2..4 hold only 2");
    }

    [Test]
    public void Invalid_settings_are_listed_together()
    {
        Assert.That(
            () => new ClientReputation(new ClientReputationOptions { Window = 0, MaxFlags = 0 }),
            Throws.TypeOf<OptionsValidationException>().With.Message.Contains("ClientReputationOptions.Window").And.Message.Contains("ClientReputationOptions.MaxFlags"));
    }
}
