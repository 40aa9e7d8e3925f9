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
    public void Both_overloads_run_the_override_and_the_context_reaches_the_inner_aggregator()
    {
        var inner = new ContextRecorder();
        var decorator = new Halving(inner);
        var context = new AggregationContext { RemovedFaulty = 2 };
        float[] destination = new float[2];

        decorator.Aggregate([new("a", new float[] { 2f, -4f }, 1)], destination, context);
        Assert.That(destination, Is.EqualTo(new[] { 1f, -2f }).AsCollection);
        Assert.That(inner.Context, Is.SameAs(context));

        decorator.Aggregate([new("a", new float[] { 2f, -4f }, 1)], destination);
        Assert.That(destination, Is.EqualTo(new[] { 1f, -2f }).AsCollection, "the two-argument call cannot bypass the decorator");
        Assert.That(inner.Context, Is.SameAs(AggregationContext.None));
    }

    [Test]
    public void A_null_context_is_refused_before_the_inner_aggregator_runs()
    {
        var decorator = new PassThrough(new ContextRecorder());

        Assert.That(
            () => decorator.Aggregate([new("a", new float[] { 2f, -4f }, 1)], new float[2], null!),
            Throws.ArgumentNullException.With.Property(nameof(ArgumentNullException.ParamName)).EqualTo("context"));
    }

    [Test]
    public void An_aggregator_that_ignores_the_context_aggregates_as_without_it()
    {
        IAggregator fedAvg = new FederatedAveraging();
        float[] destination = new float[2];

        fedAvg.Aggregate([new("a", new float[] { 1f, 3f }, 1), new("b", new float[] { 3f, 5f }, 3)], destination, new AggregationContext { RemovedFaulty = 1 });

        Assert.That(destination, Is.EqualTo(new[] { 2.5f, 4.5f }).AsCollection);
    }

    [Test]
    public void The_context_rejects_a_negative_count_and_never_lowers_f_below_zero()
    {
        Assert.That(() => new AggregationContext { RemovedFaulty = -1 }, Throws.InstanceOf<ArgumentOutOfRangeException>());
        var context = new AggregationContext { RemovedFaulty = 4 };
        Assert.That(context.RemainingByzantine(6), Is.EqualTo(2));
        Assert.That(context.RemainingByzantine(3), Is.EqualTo(0));
        Assert.That(AggregationContext.None.RemainingByzantine(3), Is.EqualTo(3));
    }

    [Test]
    public void Requires_an_inner_aggregator()
    {
        Assert.Throws<ArgumentNullException>(() => _ = new PassThrough(null!));
    }

    private sealed class PassThrough(IAggregator inner) : DelegatingAggregator(inner);

    private sealed class ContextRecorder : IAggregator
    {
        public AggregationContext? Context { get; private set; }

        public string Name => "recorder";

        public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination) =>
            throw new InvalidOperationException("the decorator must pass the context on");

        public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
        {
            Context = context;
            return new FederatedAveraging().Aggregate(updates, destination);
        }
    }

    private sealed class Halving(IAggregator inner) : DelegatingAggregator(inner)
    {
        public override string Name => $"half({Inner.Name})";

        public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
        {
            AggregationResult result = base.Aggregate(updates, destination, context);
            foreach (ref float value in destination)
            {
                value *= 0.5f;
            }

            return result;
        }
    }
}
