using FedLearn.Partitioning;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Partitioning;

public sealed class ShardPartitionerTests
{
    [FsCheck.NUnit.Property]
    public bool Assigns_every_record_once_in_k_nearly_equal_shards(NonEmptyArray<byte> labels, PositiveInt clients, PositiveInt shards, ulong seed)
    {
        int[] values = labels.Get.Select(b => b % 10).ToArray();
        int k = 1 + ((shards.Get - 1) % 3);
        if (values.Length < k)
        {
            return true;
        }

        int clientCount = 1 + ((clients.Get - 1) % (values.Length / k));

        int[][] parts = new ShardPartitioner(k).Partition(new PartitionSource(values, 10), clientCount, seed);

        // k shards whose sizes differ by at most one: client sizes differ by at most k.
        return PartitionChecks.IsExactAndSorted(parts, clientCount, values.Length)
            && parts.Max(p => p.Length) - parts.Min(p => p.Length) <= k;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(5)]
    public void Gives_each_client_at_most_k_labels_when_shards_align_with_classes(int k)
    {
        // 10 classes × 600 records, 60 × k shards: shard size 100 / k divides 600, so every shard holds one label.
        int[] labels = PartitionChecks.BalancedLabels(10, 600, seed: 8);

        int[][] parts = new ShardPartitioner(k).Partition(new PartitionSource(labels, 10), 60, seed: 9);

        int[] distinct = parts.Select(p => p.Select(r => labels[r]).Distinct().Count()).ToArray();
        Assert.That(distinct, Has.All.LessThanOrEqualTo(k));
        Assert.That(parts.Select(p => p.Length), Has.All.EqualTo(100));
    }

    [Test]
    public void Is_deterministic_per_seed()
    {
        var source = new PartitionSource(PartitionChecks.BalancedLabels(10, 100, seed: 1), 10);
        var partitioner = new ShardPartitioner(2);

        int[][] first = partitioner.Partition(source, 50, seed: 1);

        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 50, seed: 1), first), Is.True);
        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 50, seed: 2), first), Is.False);
    }

    [Test]
    public void Rejects_fewer_than_one_shard_per_client()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ShardPartitioner(0));

        Assert.That(ex.Message, Does.StartWith("Each client needs at least 1 shard."));
    }

    [Test]
    public void Rejects_more_shards_than_records()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new ShardPartitioner(3).Partition(new PartitionSource([0, 1, 2, 0, 1], 3), 2, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'shards:3' needs 2 clients × 3 shards = 6 shards of at least one record, but there are only 5 records."));
    }
}
