using FedLearn.Robust.GeometricMedian;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Robust.Tests.GeometricMedian;

public sealed class GeometricMedianAggregatorTests
{
    [Test]
    public void Collinear_points_have_their_middle_point_as_median()
    {
        // On a line the geometric median of an odd number of points is the middle one: here (2, 4, −2).
        float[] direction = [1f, 2f, -1f];
        float[] ts = [0f, 1f, 2f, 3f, 10f];
        WeightedUpdate[] updates = ts.Select((t, i) => new WeightedUpdate($"c{i}", direction.Select(d => d * t).ToArray(), 1)).ToArray();

        float[] result = TestUpdates.Run(new GeometricMedianAggregator(new GeometricMedianOptions { MaxIterations = 2000, Tolerance = 1e-12 }), updates);

        Assert.That(result, Is.EqualTo(new[] { 2f, 4f, -2f }).AsCollection.Within(2e-3));
    }

    [Test]
    public void Square_corners_have_the_centre_as_median()
    {
        WeightedUpdate[] updates = TestUpdates.FromRows([1f, 1f], [-1f, 1f], [1f, -1f], [-1f, -1f]);

        float[] result = TestUpdates.Run(new GeometricMedianAggregator(), updates);

        Assert.That(result, Is.EqualTo(new[] { 0f, 0f }).AsCollection.Within(1e-6));
    }

    [Test]
    public void One_huge_outlier_barely_moves_the_median()
    {
        var random = new DeterministicRandom(21);
        WeightedUpdate[] honest = TestUpdates.Random(random, 9, 200, 0.1).Select(u => u with { Values = u.Values.ToArray().Select(v => v + 1f).ToArray() }).ToArray();
        WeightedUpdate[] attacked = [.. honest, new("evil", Enumerable.Repeat(1e6f, 200).ToArray(), 1)];

        float[] clean = TestUpdates.Run(new GeometricMedianAggregator(), honest);
        float[] withOutlier = TestUpdates.Run(new GeometricMedianAggregator(), attacked, out AggregationResult info);

        double shift = Math.Sqrt(clean.Zip(withOutlier, (a, b) => (a - b) * (a - b)).Sum());
        Assert.That(shift, Is.LessThan(0.5), "the mean would move by 1e5 per coordinate");
        Assert.That(info.Scores.Single(s => s.ClientId == "evil").Score, Is.GreaterThan(1e6));
    }

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public void Result_does_not_depend_on_client_order(PositiveInt clients, PositiveInt length, int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        WeightedUpdate[] updates = TestUpdates.Random(random, 1 + (clients.Get % 20), length.Get % 2100);
        TestUpdates.AssertOrderIndependent(() => new GeometricMedianAggregator(), updates, random);
    }

    [Test]
    public void Identical_updates_return_that_update() =>
        TestUpdates.AssertIdenticalGiveSame(new GeometricMedianAggregator(), 5, TestUpdates.Vector(new DeterministicRandom(5), 300), 1e-6);
}
