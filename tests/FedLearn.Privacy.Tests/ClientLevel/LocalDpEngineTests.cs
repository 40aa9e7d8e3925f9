using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.ClientLevel;
using FedLearn.Privacy.Mechanisms;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.ClientLevel;

public sealed class LocalDpEngineTests
{
    [Test]
    public void Clips_then_adds_noise_of_standard_deviation_sigma_C()
    {
        const int Dimension = 100_000;
        var engine = new LocalDpEngine(new LocalDpOptions { ClippingNorm = 0.5, NoiseMultiplier = 2.0, NoiseSource = LocalNoiseSource.Secure });
        float[] delta = new float[Dimension];
        delta[0] = 1000f;

        engine.PrivatizeUpdate(delta, round: 1, seed: 9);

        // The spike is clipped to 0.5 before noise: coordinate 0 is 0.5 + noise, every other one pure noise.
        Assert.That(NoiseStatistics.HasMeanAndStandardDeviation(delta.AsSpan(1), 0, 1.0), Is.True);
        Assert.That(delta[0], Is.EqualTo(0.5).Within(5.3));
    }

    [Test]
    public void Seeded_noise_is_reproducible_per_seed()
    {
        var options = new LocalDpOptions { NoiseSource = LocalNoiseSource.Seeded };
        float[] a = [0.1f, 0.2f, 0.3f];
        float[] b = [0.1f, 0.2f, 0.3f];
        float[] c = [0.1f, 0.2f, 0.3f];

        new LocalDpEngine(options).PrivatizeUpdate(a, 1, seed: 5);
        new LocalDpEngine(options).PrivatizeUpdate(b, 1, seed: 5);
        new LocalDpEngine(options).PrivatizeUpdate(c, 1, seed: 6);

        Assert.That(a, Is.EqualTo(b).AsCollection);
        Assert.That(a, Is.Not.EqualTo(c).AsCollection);
    }

    [Test]
    public void Accounts_each_round_as_a_gaussian_step_with_sensitivity_2C()
    {
        var engine = new LocalDpEngine(new LocalDpOptions { ClippingNorm = 1.0, NoiseMultiplier = 8.0, NoiseSource = LocalNoiseSource.Seeded });
        for (int round = 1; round <= 3; round++)
        {
            engine.PrivatizeUpdate(new float[4], round, (ulong)round);
        }

        var expected = new RdpAccountant();
        expected.AddSteps(4.0, 1.0, 3);
        Assert.That(engine.GetSpent(1e-5).Epsilon, Is.EqualTo(expected.GetEpsilon(1e-5)));
        Assert.That(engine.History, Is.EqualTo(new[] { new PrivacyStep(4.0, 1.0, 3) }));
        Assert.That(engine.Name, Is.EqualTo("local-dp:noise=8,clip=1"));
    }

    [Test]
    public void Invalid_options_are_reported_together()
    {
        var error = Assert.Throws<OptionsValidationException>(() => _ = new LocalDpEngine(new LocalDpOptions { ClippingNorm = 0, NoiseMultiplier = -1, NoiseSource = (LocalNoiseSource)9 }));

        Assert.That(error!.Message, Does.Contain("LocalDpOptions.ClippingNorm: must be positive and finite"));
        Assert.That(error.Message, Does.Contain("LocalDpOptions.NoiseMultiplier: must be finite and ≥ 0"));
        Assert.That(error.Message, Does.Contain("LocalDpOptions.NoiseSource: is not a known noise source"));
    }
}
