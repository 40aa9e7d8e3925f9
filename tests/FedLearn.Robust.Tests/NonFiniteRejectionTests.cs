using FedLearn.Robust.Specs;
using NUnit.Framework;

namespace FedLearn.Robust.Tests;

/// <summary>
/// Every robust rule and every pre-aggregator refuses an update with a NaN or an infinity before any arithmetic, names
/// the client and the index, and leaves the destination as it was.
/// </summary>
public sealed class NonFiniteRejectionTests
{
    private const int Clients = 11;
    private const int Length = 37;
    private const float Sentinel = 12345f;

    private static readonly string[] Rules = ["krum:2", "multikrum:2", "trimmed-mean:2", "median", "geomed", "bulyan:2", "cclip:1"];

    private static readonly string[] PreAggregators = ["clip:1", "arc:2", "nnm:2", "bucket:2"];

    private static readonly float[] BadValues = [float.NaN, float.PositiveInfinity, float.NegativeInfinity];

    private static IEnumerable<TestCaseData> RuleCases() =>
        from rule in Rules
        from bad in BadValues
        select new TestCaseData(rule, bad).SetArgDisplayNames(rule, bad.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static IEnumerable<TestCaseData> PreAggregatorCases() =>
        from pre in PreAggregators
        from inner in new[] { "median", "multikrum:2" }
        from bad in BadValues
        select new TestCaseData(pre, inner, bad).SetArgDisplayNames(pre, inner, bad.ToString(System.Globalization.CultureInfo.InvariantCulture));

    [TestCaseSource(nameof(RuleCases))]
    public void Every_rule_refuses_a_non_finite_update_and_names_it(string rule, float bad)
    {
        AssertRefused(RobustSpecs.ParseAggregator(rule), bad, seed: (ulong)rule.Length);
    }

    [TestCaseSource(nameof(PreAggregatorCases))]
    public void Every_pre_aggregator_refuses_a_non_finite_update_and_names_it(string pre, string inner, float bad)
    {
        AssertRefused(RobustSpecs.ParsePreAggregator(pre, RobustSpecs.ParseAggregator(inner), seed: 3), bad, seed: (ulong)(pre.Length + inner.Length));
    }

    private static void AssertRefused(IAggregator aggregator, float bad, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        WeightedUpdate[] updates = TestUpdates.Random(random, Clients, Length);
        int victim = random.NextInt(Clients);
        int index = random.NextInt(Length);
        float[] values = updates[victim].Values.ToArray();
        values[index] = bad;
        updates[victim] = updates[victim] with { Values = values };
        float[] destination = Enumerable.Repeat(Sentinel, Length).ToArray();
        string client = updates[victim].ClientId;

        Assert.That(
            () => aggregator.Aggregate(updates, destination),
            Throws.ArgumentException.With.Message.Contains($"'{client}'").And.Message.Contains($"index {index}").And.Message.Contains("non-finite"));
        Assert.That(destination, Is.All.EqualTo(Sentinel), "the destination must be left as it was");
    }
}
