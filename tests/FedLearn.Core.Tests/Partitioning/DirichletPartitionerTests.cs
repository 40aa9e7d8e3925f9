using FedLearn.Partitioning;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Partitioning;

public sealed class DirichletPartitionerTests
{
    private static readonly int[] Labels = PartitionChecks.BalancedLabels(10, 1000, seed: 4);

    [FsCheck.NUnit.Property]
    public bool Assigns_every_record_once_and_leaves_no_client_empty(NonEmptyArray<byte> labels, PositiveInt clients, ulong seed, bool skewed)
    {
        int[] values = labels.Get.Select(b => b % 10).ToArray();
        int clientCount = 1 + ((clients.Get - 1) % values.Length);

        int[][] parts = new DirichletPartitioner(skewed ? 0.05 : 5).Partition(new PartitionSource(values, 10), clientCount, seed);

        return PartitionChecks.IsExactAndSorted(parts, clientCount, values.Length) && parts.All(p => p.Length >= 1);
    }

    [TestCase(1UL)]
    [TestCase(2UL)]
    [TestCase(3UL)]
    public void Large_alpha_is_as_close_to_IID_as_IID_itself_and_small_alpha_is_skewed(ulong seed)
    {
        var source = new PartitionSource(Labels, 10);

        double iid = PartitionChecks.MeanTotalVariation(new IidPartitioner().Partition(source, 10, seed), Labels, 10);
        double nearIid = PartitionChecks.MeanTotalVariation(new DirichletPartitioner(1000).Partition(source, 10, seed), Labels, 10);
        double skewed = PartitionChecks.MeanTotalVariation(new DirichletPartitioner(0.1).Partition(source, 10, seed), Labels, 10);

        // Dir(1000) shares deviate from 1/10 by about 0.003 per class, below the sampling noise of IID with 1000
        // records per client (TV ≈ 0.04); Dir(0.1) gives most of a class to one or two clients (TV well above 0.5).
        TestContext.Out.WriteLine($"seed {seed}: mean TV iid {iid:F3}, α=1000 {nearIid:F3}, α=0.1 {skewed:F3}");
        Assert.That(iid, Is.LessThan(0.08));
        Assert.That(nearIid, Is.LessThan(0.08));
        Assert.That(skewed, Is.GreaterThan(0.4));
    }

    [Test]
    public void Is_deterministic_per_seed()
    {
        var source = new PartitionSource(Labels, 10);
        var partitioner = new DirichletPartitioner(0.5);

        int[][] first = partitioner.Partition(source, 20, seed: 5);

        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 20, seed: 5), first), Is.True);
        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 20, seed: 6), first), Is.False);
    }

    [Test]
    public void Repairs_a_draw_that_leaves_clients_below_the_minimum()
    {
        // α = 0.01 with 200 clients puts each class on one or two clients: almost every client is empty in every
        // draw, so the guarantee comes from the repair.
        var source = new PartitionSource(Labels, 10);

        int[][] parts = new DirichletPartitioner(0.01, minPartitionSize: 20).Partition(source, 200, seed: 7);

        Assert.That(PartitionChecks.IsExactAndSorted(parts, 200, Labels.Length), Is.True);
        Assert.That(parts.Min(p => p.Length), Is.GreaterThanOrEqualTo(20));
    }

    [Test]
    public void Rejects_a_minimum_the_records_cannot_meet()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DirichletPartitioner(1, minPartitionSize: 3).Partition(new PartitionSource([0, 1, 0, 1, 0], 2), 2, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'dirichlet:1:3' cannot give each of 2 clients at least 3 records: there are only 5 records."));
    }

    [TestCase(0.0)]
    [TestCase(-1.0)]
    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    public void Rejects_an_alpha_that_is_not_positive_and_finite(double alpha)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DirichletPartitioner(alpha));

        Assert.That(ex.Message, Does.StartWith("The Dirichlet concentration α must be positive and finite."));
    }

    [Test]
    public void Rejects_a_label_outside_the_classes()
    {
        var ex = Assert.Throws<ArgumentException>(() => new DirichletPartitioner(1).Partition(new PartitionSource([0, 3, 1], 3), 2, 1));

        Assert.That(ex.Message, Does.StartWith("Label 3 of record 1 is outside [0, 3)."));
    }

    [Test]
    public void Names_itself_in_the_form_it_parses_from()
    {
        Assert.That(new DirichletPartitioner(0.5).Name, Is.EqualTo("dirichlet:0.5"));
        Assert.That(new DirichletPartitioner(0.1, 10).Name, Is.EqualTo("dirichlet:0.1:10"));
    }
}
