using FedLearn.Robust.Attacks;
using FedLearn.Robust.Specs;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.Specs;

public sealed class RobustSpecsTests
{
    [TestCase("fedavg", "fedavg")]
    [TestCase("krum:2", "krum:2")]
    [TestCase("multikrum:2", "multikrum:2")]
    [TestCase("MultiKrum:2,5", "multikrum:2,5")]
    [TestCase("trimmed-mean:3", "trimmed-mean:3")]
    [TestCase("trimmed-mean:0.2", "trimmed-mean:0.2")]
    [TestCase("median", "median")]
    [TestCase("geomed", "geomed")]
    [TestCase("bulyan:1", "bulyan:1")]
    [TestCase("cclip:0.5", "cclip:0.5")]
    public void Aggregator_specs_build_the_named_rule(string spec, string name) =>
        Assert.That(RobustSpecs.ParseAggregator(spec).Name, Is.EqualTo(name));

    [TestCase("clip:10", "clip:10>median")]
    [TestCase("arc:2", "arc:2>median")]
    [TestCase("nnm:3", "nnm:3>median")]
    [TestCase("bucket:2", "bucket:2>median")]
    public void Pre_aggregator_specs_wrap_the_inner_rule(string spec, string name) =>
        Assert.That(RobustSpecs.ParsePreAggregator(spec, RobustSpecs.ParseAggregator("median")).Name, Is.EqualTo(name));

    [TestCase("0.2:alie", 0.2, "alie")]
    [TestCase("0.3:ipm:2", 0.3, "ipm:2")]
    [TestCase("0.1:signflip", 0.1, "signflip")]
    [TestCase("0.2:gaussian:0.5", 0.2, "gaussian:0.5")]
    [TestCase("0.2:scaling", 0.2, "scaling:10")]
    [TestCase("0.2:mimic", 0.2, "mimic")]
    [TestCase("0.2:nonfinite", 0.2, "nonfinite")]
    [TestCase("0:labelflip", 0.0, "labelflip")]
    public void Byzantine_specs_give_fraction_and_attack(string spec, double fraction, string attack)
    {
        ByzantineSpec parsed = RobustSpecs.ParseByzantine(spec);
        Assert.That(parsed.Fraction, Is.EqualTo(fraction));
        Assert.That(parsed.Attack.Name, Is.EqualTo(attack));
        Assert.That(parsed.PoisonsLabels, Is.EqualTo(parsed.Attack is LabelFlipAttack));
    }

    [TestCase("krumm:2", "Unknown aggregator 'krumm:2'")]
    [TestCase("krum", "Unknown aggregator 'krum'")]
    [TestCase("krum:x", "Invalid 'krum:x': f must be an integer but is 'x'")]
    [TestCase("krum:-1", "Invalid aggregator 'krum:-1'")]
    [TestCase("cclip:0", "Invalid aggregator 'cclip:0'")]
    [TestCase("trimmed-mean:0.7", "Invalid aggregator 'trimmed-mean:0.7'")]
    public void Bad_aggregator_specs_are_named_in_the_error(string spec, string message) =>
        Assert.That(() => RobustSpecs.ParseAggregator(spec), Throws.TypeOf<FormatException>().With.Message.Contains(message));

    [TestCase("bucket:0", "Invalid pre-aggregator 'bucket:0'")]
    [TestCase("squash:1", "Unknown pre-aggregator 'squash:1'. Expected clip:<c> | arc:<f> | nnm:<f> | bucket:<s>.")]
    public void Bad_pre_aggregator_specs_are_named_in_the_error(string spec, string message) =>
        Assert.That(() => RobustSpecs.ParsePreAggregator(spec, RobustSpecs.ParseAggregator("median")), Throws.TypeOf<FormatException>().With.Message.Contains(message));

    [TestCase("1.2:alie", "the fraction 1.2 must be in [0, 1)")]
    [TestCase("0.2:nonsense", "Unknown Byzantine setting '0.2:nonsense'")]
    [TestCase("alie", "Unknown Byzantine setting 'alie'")]
    [TestCase("0.2:ipm:-1", "Invalid Byzantine setting '0.2:ipm:-1'")]
    [TestCase("x:alie", "fraction must be a finite number but is 'x'")]
    public void Bad_byzantine_specs_are_named_in_the_error(string spec, string message) =>
        Assert.That(() => RobustSpecs.ParseByzantine(spec), Throws.TypeOf<FormatException>().With.Message.Contains(message));
}
