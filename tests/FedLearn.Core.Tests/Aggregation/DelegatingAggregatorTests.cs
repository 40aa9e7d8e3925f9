using FedLearn.Aggregation;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Aggregation;

public sealed class DelegatingAggregatorTests
{
    [Test]
    public void Forwards_name_and_aggregation_to_the_inner_aggregator()
    {
        var decorator = new PassThrough(new FederatedAveraging());
        float[] destination = new float[2];

        AggregationResult result = decorator.Aggregate([new("a", new float[] { 1f, 3f }, 1), new("b", new float[] { 3f, 5f }, 1)], destination);

        Assert.That(decorator.Name, Is.EqualTo("fedavg"));
        Assert.That(destination, Is.EqualTo(new[] { 2f, 4f }).AsCollection);
        Assert.That(result, Is.SameAs(AggregationResult.Empty));
    }

    [Test]
    public void A_decorator_changes_only_what_it_overrides()
    {
        var decorator = new Halving(new FederatedAveraging());
        float[] destination = new float[2];

        decorator.Aggregate([new("a", new float[] { 2f, -4f }, 1)], destination);

        Assert.That(decorator.Name, Is.EqualTo("half(fedavg)"));
        Assert.That(destination, Is.EqualTo(new[] { 1f, -2f }).AsCollection);
    }

    [Test]
    public void Requires_an_inner_aggregator()
    {
        Assert.Throws<ArgumentNullException>(() => _ = new PassThrough(null!));
    }

    private sealed class PassThrough(IAggregator inner) : DelegatingAggregator(inner);

    private sealed class Halving(IAggregator inner) : DelegatingAggregator(inner)
    {
        public override string Name => $"half({Inner.Name})";

        public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination)
        {
            AggregationResult result = base.Aggregate(updates, destination);
            foreach (ref float value in destination)
            {
                value *= 0.5f;
            }

            return result;
        }
    }
}
