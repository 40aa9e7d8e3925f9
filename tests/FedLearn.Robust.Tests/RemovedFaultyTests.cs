using FedLearn.Aggregation;
using FedLearn.Robust.Bulyan;
using FedLearn.Robust.Krum;
using FedLearn.Robust.Median;
using FedLearn.Robust.PreAggregation;
using FedLearn.Robust.Tests.PreAggregation;
using FedLearn.Robust.TrimmedMean;
using NUnit.Framework;

namespace FedLearn.Robust.Tests;

/// <summary>
/// Replies the server removed as certainly faulty count against the f of every rule that takes one: a rule built for f
/// and told that k were removed aggregates exactly as the same rule built for f − k.
/// </summary>
public sealed class RemovedFaultyTests
{
    private static readonly AggregationContext SixRemoved = new() { RemovedFaulty = 6 };

    private static IEnumerable<TestCaseData> Rules()
    {
        yield return new TestCaseData((Func<int, IAggregator>)(f => new KrumAggregator(new KrumOptions { ByzantineCount = f })), 14).SetName("Multi-Krum");
        yield return new TestCaseData((Func<int, IAggregator>)(f => new KrumAggregator(new KrumOptions { ByzantineCount = f, SelectionCount = 1 })), 14).SetName("Krum");
        yield return new TestCaseData((Func<int, IAggregator>)(f => new BulyanAggregator(new BulyanOptions { ByzantineCount = f })), 14).SetName("Bulyan");
        yield return new TestCaseData((Func<int, IAggregator>)(f => new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimCount = f })), 12).SetName("Trimmed mean (count)");
        yield return new TestCaseData((Func<int, IAggregator>)(f => new NearestNeighborMixingPreAggregator(new CoordinateMedian(), new NearestNeighborMixingOptions { ByzantineCount = f })), 12).SetName("NNM");
        yield return new TestCaseData((Func<int, IAggregator>)(f => new AdaptiveClippingPreAggregator(new FederatedAveraging(), new AdaptiveClippingOptions { ByzantineCount = f })), 12).SetName("ARC");
        yield return new TestCaseData(
            (Func<int, IAggregator>)(f => new NearestNeighborMixingPreAggregator(new KrumAggregator(new KrumOptions { ByzantineCount = f }), new NearestNeighborMixingOptions { ByzantineCount = f })),
            14).SetName("NNM then Multi-Krum, both lowered");
    }

    [TestCaseSource(nameof(Rules))]
    public void A_rule_told_of_k_removed_faulty_replies_aggregates_as_the_rule_for_f_minus_k(Func<int, IAggregator> create, int n)
    {
        // 30 % of 20 sampled clients: f = 6. Six sent NaN and were removed, so n of them arrive; f = 6 is too many for them.
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(17), n, 257);
        float[] expected = new float[257];
        float[] actual = new float[257];

        Assert.That(() => create(6).Aggregate(updates, new float[257]), Throws.ArgumentException.With.Message.Contains("tolerates f = 6"));
        AggregationResult reference = create(0).Aggregate(updates, expected);
        AggregationResult result = create(6).Aggregate(updates, actual, SixRemoved);

        Assert.That(actual, Is.EqualTo(expected).AsCollection, "bit-identical to the rule built for f = 0");
        Assert.That(result.Scores, Is.EqualTo(reference.Scores).AsCollection);
        Assert.That(result.Excluded.Select(e => e.ClientId), Is.EqualTo(reference.Excluded.Select(e => e.ClientId)).AsCollection);
    }

    [Test]
    public void Fewer_removed_than_f_lowers_f_by_that_many_and_the_error_says_so()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(18), 8, 64);
        var krum = new KrumAggregator(new KrumOptions { ByzantineCount = 4 });
        float[] expected = new float[64];
        float[] actual = new float[64];

        new KrumAggregator(new KrumOptions { ByzantineCount = 2 }).Aggregate(updates, expected);
        krum.Aggregate(updates, actual, new AggregationContext { RemovedFaulty = 2 });

        Assert.That(actual, Is.EqualTo(expected).AsCollection);
        Assert.That(
            () => krum.Aggregate(updates, new float[64], new AggregationContext { RemovedFaulty = 1 }),
            Throws.ArgumentException.With.Message.EqualTo(
                "Aggregator 'multikrum:4' tolerates f = 3 Byzantine clients (its configured f less the 1 replies removed as certainly faulty) only with n > 2f + 2, i.e. at least 9 updates, but got 8. (Parameter 'updates')"));
    }

    [Test]
    public void A_trim_fraction_is_not_lowered()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(19), 10, 64);
        var fraction = new TrimmedMeanAggregator(new TrimmedMeanOptions { TrimFraction = 0.3 });
        float[] plain = new float[64];
        float[] told = new float[64];

        fraction.Aggregate(updates, plain);
        fraction.Aggregate(updates, told, SixRemoved);

        Assert.That(told, Is.EqualTo(plain).AsCollection, "a fraction applies to the updates that arrive");
    }

    [Test]
    public void Pre_aggregators_and_decorators_pass_the_context_to_the_inner_rule()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(20), 8, 32);
        var context = new AggregationContext { RemovedFaulty = 2 };
        (IAggregator[] wrapped, List<CapturingAggregator> inners) = WrappedCaptures();

        foreach (IAggregator aggregator in wrapped)
        {
            aggregator.Aggregate(updates, new float[32], context);
        }

        Assert.That(inners.Select(i => i.Context), Is.All.SameAs(context));
    }

    [Test]
    public void Pre_aggregators_and_decorators_refuse_a_null_context_before_the_inner_rule_runs()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(22), 8, 32);
        (IAggregator[] wrapped, List<CapturingAggregator> inners) = WrappedCaptures();

        foreach (IAggregator aggregator in wrapped)
        {
            Assert.That(
                () => aggregator.Aggregate(updates, new float[32], null!),
                Throws.ArgumentNullException.With.Property(nameof(ArgumentNullException.ParamName)).EqualTo("context"),
                aggregator.Name);
        }

        Assert.That(inners.Select(i => i.Calls), Is.All.Zero, "no inner rule ran");
    }

    /// <summary>Each pre-aggregator in front of its own capturing rule.</summary>
    private static (IAggregator[] Wrapped, List<CapturingAggregator> Inners) WrappedCaptures()
    {
        var inners = new List<CapturingAggregator>();
        IAggregator[] wrapped =
        [
            new NormClippingPreAggregator(Capture(), new NormClippingOptions { MaxNorm = 1 }),
            new BucketingPreAggregator(Capture(), new BucketingOptions { BucketSize = 2 }),
            new NearestNeighborMixingPreAggregator(Capture(), new NearestNeighborMixingOptions { ByzantineCount = 3 }),
            new AdaptiveClippingPreAggregator(Capture(), new AdaptiveClippingOptions { ByzantineCount = 3 }),
        ];
        return (wrapped, inners);

        CapturingAggregator Capture()
        {
            var inner = new CapturingAggregator();
            inners.Add(inner);
            return inner;
        }
    }

    [Test]
    public void The_two_argument_call_removes_nothing()
    {
        var inner = new CapturingAggregator();
        new NormClippingPreAggregator(inner, new NormClippingOptions { MaxNorm = 1 }).Aggregate(TestUpdates.Random(new DeterministicRandom(21), 3, 8), new float[8]);

        Assert.That(inner.Context, Is.SameAs(AggregationContext.None));
    }
}
