using FedLearn.Privacy.Flags;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Flags;

public sealed class DpFlagParserTests
{
    [Test]
    public void Parses_every_mode()
    {
        Assert.That(DpFlagParser.Parse("none"), Is.EqualTo(DpFlag.None));
        Assert.That(DpFlagParser.Parse("sample:eps=3,delta=1e-5,clip=1.2"), Is.EqualTo(new DpFlag(DpMode.Sample, TargetEpsilon: 3, Delta: 1e-5, ClippingNorm: 1.2)));
        Assert.That(DpFlagParser.Parse("client:noise=0.8,clip=0.5"), Is.EqualTo(new DpFlag(DpMode.Client, NoiseMultiplier: 0.8, ClippingNorm: 0.5)));
        Assert.That(DpFlagParser.Parse(" client-adaptive:quantile=0.5, noise=1 "), Is.EqualTo(new DpFlag(DpMode.ClientAdaptive, NoiseMultiplier: 1, TargetQuantile: 0.5)));
    }

    [TestCase("", "--dp is empty")]
    [TestCase("central:noise=1", "unknown mode 'central'")]
    [TestCase("none:eps=1", "mode 'none' takes no settings but got 'eps=1'")]
    [TestCase("sample:eps=3,delta=1e-5", "missing 'clip'")]
    [TestCase("sample", "'' is not key=value")]
    [TestCase("client:noise=1,clip=1,clip=2", "setting 'clip' is given twice")]
    [TestCase("client:noise=1,clip=abc", "'abc' for 'clip' is not a finite number")]
    [TestCase("client:noise=1,clip=∞", "'∞' for 'clip' is not a finite number")]
    [TestCase("client:noise=1,quantile=0.5", "unknown setting 'quantile' for mode 'client'; expected client:noise=<value>,clip=<value>")]
    [TestCase("client:noise=-1,clip=1", "noise=-1 must be ≥ 0")]
    [TestCase("sample:eps=0,delta=1e-5,clip=1", "eps=0 must be positive")]
    [TestCase("sample:eps=1,delta=1,clip=1", "delta=1 must be in (0, 1)")]
    [TestCase("client-adaptive:noise=1,quantile=1.5", "quantile=1.5 must be in (0, 1)")]
    [TestCase("client:noise1,clip=1", "'noise1' is not key=value")]
    public void Rejects_bad_text_naming_it(string text, string message)
    {
        var error = Assert.Throws<FormatException>(() => DpFlagParser.Parse(text));

        Assert.That(error!.Message, Does.Contain(message));
        Assert.That(DpFlagParser.TryParse(text, out DpFlag? flag, out string? tryError), Is.False);
        Assert.That(flag, Is.Null);
        Assert.That(tryError, Is.EqualTo(error.Message));
    }
}
