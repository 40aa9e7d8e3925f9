using FedLearn.Partitioning;
using FsCheck;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Partitioning;

public sealed class NaturalIdPartitionerTests
{
    [FsCheck.NUnit.Property]
    public bool Never_splits_a_group_and_balances_within_the_largest_group(NonEmptyArray<byte> groupOfRecord, PositiveInt clients, ulong seed)
    {
        string[] ids = groupOfRecord.Get.Select(g => "patient-" + (g % 40)).ToArray();
        int groupCount = ids.Distinct().Count();
        int clientCount = 1 + ((clients.Get - 1) % groupCount);
        var source = new PartitionSource(new int[ids.Length], 1, ids);

        int[][] parts = new NaturalIdPartitioner().Partition(source, clientCount, seed);

        int largestGroup = ids.GroupBy(id => id).Max(g => g.Count());
        bool groupsWhole = ids.Distinct().All(id => parts.Count(p => p.Any(r => ids[r] == id)) == 1);
        return PartitionChecks.IsExactAndSorted(parts, clientCount, ids.Length)
            && groupsWhole
            && parts.All(p => p.Length > 0)
            && parts.Max(p => p.Length) - parts.Min(p => p.Length) <= largestGroup;
    }

    [Test]
    public void Spreads_patients_over_hospitals_differently_per_seed()
    {
        string[] ids = Enumerable.Range(0, 300).Select(i => "patient-" + (i / 3)).ToArray();
        var source = new PartitionSource(new int[ids.Length], 1, ids);
        var partitioner = new NaturalIdPartitioner();

        int[][] first = partitioner.Partition(source, 10, seed: 1);

        Assert.That(first.Select(p => p.Length), Has.All.EqualTo(30));
        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 10, seed: 1), first), Is.True);
        Assert.That(PartitionChecks.SameParts(partitioner.Partition(source, 10, seed: 2), first), Is.False);
    }

    [Test]
    public void Rejects_a_source_without_group_ids()
    {
        var ex = Assert.Throws<ArgumentException>(() => new NaturalIdPartitioner().Partition(new PartitionSource([0, 1, 0], 2), 2, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'natural-id' needs a group id per record (PartitionSource.GroupIds), but the source has none."));
    }

    [Test]
    public void Rejects_fewer_groups_than_clients()
    {
        var source = new PartitionSource([0, 0, 0, 0], 1, ["a", "a", "b", "b"]);

        var ex = Assert.Throws<ArgumentException>(() => new NaturalIdPartitioner().Partition(source, 3, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'natural-id' cannot spread 2 groups over 3 clients without splitting a group; use at most 2 clients."));
    }

    [Test]
    public void Rejects_a_group_id_count_that_differs_from_the_records()
    {
        var source = new PartitionSource([0, 0, 0], 1, ["a", "b"]);

        var ex = Assert.Throws<ArgumentException>(() => new NaturalIdPartitioner().Partition(source, 2, 1));

        Assert.That(ex.Message, Does.StartWith("Partitioning 'natural-id' needs one group id per record, but there are 2 group ids for 3 records."));
    }
}
