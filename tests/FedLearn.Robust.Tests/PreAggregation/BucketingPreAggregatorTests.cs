using FedLearn.Aggregation;
using FedLearn.Robust.Krum;
using FedLearn.Robust.PreAggregation;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.PreAggregation;

public sealed class BucketingPreAggregatorTests
{
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public void Fedavg_over_the_buckets_is_the_plain_mean_of_the_updates(PositiveInt clients, PositiveInt size, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        int n = 1 + (clients.Get % 25);
        WeightedUpdate[] updates = TestUpdates.Random(random, n, 40);
        var bucketing = new BucketingPreAggregator(new FederatedAveraging(), new BucketingOptions { BucketSize = 1 + (size.Get % 6), Seed = (ulong)seed });

        float[] result = TestUpdates.Run(bucketing, updates);

        float[] mean = Enumerable.Range(0, 40).Select(j => (float)updates.Average(u => u.Values.Span[j])).ToArray();
        Assert.That(result, Is.EqualTo(mean).AsCollection.Within(1e-5));
    }

    [Test]
    public void Buckets_have_size_s_and_weights_count_their_members()
    {
        var inner = new CapturingAggregator();
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(2), 7, 3);

        TestUpdates.Run(new BucketingPreAggregator(inner, new BucketingOptions { BucketSize = 3 }), updates, out AggregationResult info);

        Assert.That(inner.Weights.Values.Order(), Is.EqualTo(new[] { 1.0, 3.0, 3.0 }).AsCollection);
        Assert.That(info.Scores, Has.Count.EqualTo(7), "every client gets its bucket's score");
        Assert.That(info.Excluded, Has.Count.EqualTo(3), "the inner rule's excluded bucket maps back to its three members");
        Assert.That(info.Excluded[0].Reason, Does.Contain("which capture left out: first"));
    }

    [Test]
    public void Shuffles_differ_between_calls_but_not_between_runs()
    {
        WeightedUpdate[] updates = TestUpdates.Random(new DeterministicRandom(3), 9, 5);
        IAggregator Create() => new BucketingPreAggregator(new KrumAggregator(new KrumOptions { ByzantineCount = 0, SelectionCount = 1 }), new BucketingOptions { BucketSize = 3, Seed = 5 });
        IAggregator a = Create();
        IAggregator b = Create();

        float[] a1 = TestUpdates.Run(a, updates);
        float[] a2 = TestUpdates.Run(a, updates);
        float[] b1 = TestUpdates.Run(b, updates);

        Assert.That(b1, Is.EqualTo(a1).AsCollection);
        Assert.That(a2, Is.Not.EqualTo(a1).AsCollection, "call 2 uses a new permutation");
    }
}
