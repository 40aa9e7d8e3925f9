using FedLearn.Robust.PreAggregation;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.PreAggregation;

public sealed class NormClippingPreAggregatorTests
{
    [Test]
    public void Updates_longer_than_c_are_scaled_to_c_and_shorter_ones_pass_unchanged()
    {
        var inner = new CapturingAggregator();
        var clip = new NormClippingPreAggregator(inner, new NormClippingOptions { MaxNorm = 5 });
        WeightedUpdate[] updates = TestUpdates.FromRows([30f, 40f], [3f, 4f], [0f, 1f]);

        TestUpdates.Run(clip, updates, out AggregationResult info);

        Assert.That(inner.Seen["c0"], Is.EqualTo(new[] { 3f, 4f }).AsCollection.Within(1e-6));
        Assert.That(inner.Seen["c1"], Is.EqualTo(new[] { 3f, 4f }).AsCollection);
        Assert.That(inner.Seen["c2"], Is.EqualTo(new[] { 0f, 1f }).AsCollection);
        Assert.That(info.Excluded.Single().Reason, Is.EqualTo("first"), "the inner result is passed through");
        Assert.That(clip.Name, Is.EqualTo("clip:5>capture"));
    }
}
