using FedLearn.Compression.Tests.Support;
using FedLearn.Numerics;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.TopK;

public sealed class QuickSelectTests
{
    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 200)]
    public Property Selects_the_value_a_sort_puts_at_the_rank_and_partitions_around_it(TestVector vector, int rankSeed)
    {
        float[] values = vector.Values;
        if (values.Length == 0)
        {
            return true.ToProperty();
        }

        int rank = (int)((uint)rankSeed % (uint)values.Length);
        float[] sorted = values.Order().ToArray();
        float[] work = (float[])values.Clone();
        float selected = Selection.Select(work, rank);
        bool partitioned = work.Take(rank).All(v => v <= selected) && work.Skip(rank + 1).All(v => v >= selected);
        bool permutation = work.Order().SequenceEqual(sorted);
        return (selected.Equals(sorted[rank]) && partitioned && permutation).Label(vector.ToString());
    }

    [Test]
    public void Adversarial_inputs_of_equal_or_sorted_values_select_correctly()
    {
        float[] equal = Enumerable.Repeat(2f, 10_000).ToArray();
        Assert.That(Selection.Select(equal, 1234), Is.EqualTo(2f));
        float[] ascending = Enumerable.Range(0, 100_000).Select(i => (float)i).ToArray();
        Assert.That(Selection.Select(ascending, 99_000), Is.EqualTo(99_000f));
        float[] organPipe = Enumerable.Range(0, 100_000).Select(i => (float)Math.Min(i, 100_000 - i)).ToArray();
        float expected = organPipe.Order().ElementAt(500);
        Assert.That(Selection.Select(organPipe, 500), Is.EqualTo(expected));
    }
}
