using FedLearn.Data;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Data.Splitting;

public sealed class TrainTestSplitTests
{
    private static readonly LabeledDataset Dataset = new(new float[200], Enumerable.Range(0, 200).Select(i => i % 3).ToArray(), featureCount: 1, classCount: 3);

    [FsCheck.NUnit.Property]
    public bool Train_and_test_are_disjoint_sorted_and_cover_the_view(int[] positions, ulong seed, byte percent)
    {
        int[] indices = positions.Select(p => Math.Abs(p % Dataset.Count)).Distinct().ToArray();
        var view = new DatasetView(Dataset, indices);
        double fraction = (percent % 100) / 100.0;

        DatasetSplit split = TrainTestSplit.Split(view, fraction, seed);

        int[] train = split.Train.Indices.ToArray();
        int[] test = split.Test.Indices.ToArray();
        return !train.Intersect(test).Any()
            && train.Concat(test).Order().SequenceEqual(indices.Order())
            && train.SequenceEqual(train.Order())
            && test.SequenceEqual(test.Order());
    }

    [TestCase(100, 0.2, 20)]
    [TestCase(10, 0.25, 3)]
    [TestCase(2, 0.2, 1)]
    [TestCase(5, 0.95, 4)]
    [TestCase(1, 0.2, 0)]
    [TestCase(0, 0.2, 0)]
    [TestCase(50, 0.0, 0)]
    public void Holds_out_the_rounded_fraction_keeping_a_record_on_each_side(int count, double fraction, int expectedTest)
    {
        DatasetSplit split = TrainTestSplit.Split(Dataset.Take(count), fraction, seed: 5);

        Assert.That(split.Test.Count, Is.EqualTo(expectedTest));
        Assert.That(split.Train.Count, Is.EqualTo(count - expectedTest));
    }

    [Test]
    public void Is_deterministic_per_seed()
    {
        DatasetView view = Dataset.All();

        int[] first = TrainTestSplit.Split(view, 0.2, seed: 9).Test.Indices.ToArray();
        int[] again = TrainTestSplit.Split(view, 0.2, seed: 9).Test.Indices.ToArray();
        int[] other = TrainTestSplit.Split(view, 0.2, seed: 10).Test.Indices.ToArray();

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void Rejects_a_fraction_outside_0_to_1(double fraction)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => TrainTestSplit.Split(Dataset.All(), fraction, seed: 1));

        Assert.That(ex.Message, Does.StartWith("The test fraction must be in [0, 1)."));
    }
}
