using FedLearn.Partitioning;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Partitioning;

public sealed class IidPartitionerTests
{
    [FsCheck.NUnit.Property]
    public bool Assigns_every_record_once_in_sizes_that_differ_by_at_most_one(NonEmptyArray<byte> labels, PositiveInt clients, ulong seed)
    {
        int[] values = labels.Get.Select(b => b % 10).ToArray();
        int clientCount = 1 + ((clients.Get - 1) % values.Length);

        int[][] parts = new IidPartitioner().Partition(new PartitionSource(values, 10), clientCount, seed);

        return PartitionChecks.IsExactAndSorted(parts, clientCount, values.Length)
            && parts.Max(p => p.Length) - parts.Min(p => p.Length) <= 1;
    }

    [Test]
    public void Is_deterministic_per_seed()
    {
        var source = new PartitionSource(PartitionChecks.BalancedLabels(10, 100, seed: 1), 10);
        var partitioner = new IidPartitioner();

        int[][] first = partitioner.Partition(source, 7, seed: 11);

        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 7, seed: 11), first), Is.True);
        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 7, seed: 12), first), Is.False);
    }

    [Test]
    public void Gives_each_client_nearly_the_global_label_distribution()
    {
        int[] labels = PartitionChecks.BalancedLabels(10, 1000, seed: 2);

        int[][] parts = new IidPartitioner().Partition(new PartitionSource(labels, 10), 10, seed: 3);

        // 1000 records per client: each class share deviates by about sqrt(0.09 / 1000) ≈ 0.01, so TV ≈ 0.04.
        Assert.That(PartitionChecks.MeanTotalVariation(parts, labels, 10), Is.LessThan(0.08));
    }

    [TestCase(0)]
    [TestCase(-3)]
    public void Rejects_fewer_than_one_client(int clientCount)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new IidPartitioner().Partition(new PartitionSource([0, 1], 2), clientCount, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'iid' needs at least 1 client."));
    }

    [Test]
    public void Rejects_more_clients_than_records()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new IidPartitioner().Partition(new PartitionSource([0, 1, 0], 2), 4, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'iid' cannot give each of 4 clients a record: there are only 3 records."));
    }
}
