namespace FedLearn.Partitioning;

/// <summary>
/// Partitioning by a natural id: records that share a <see cref="PartitionSource.GroupIds"/> value (a patient, a
/// user, a device) always land on the same client, and the groups are spread over the clients (patients into
/// hospitals). Groups are shuffled (seeded), then each goes to the client holding the fewest records so far, so every
/// client gets at least one group and client sizes differ by at most the size of the largest group.
/// Stateless and thread-safe.
/// </summary>
public sealed class NaturalIdPartitioner : IPartitioner
{
    /// <summary>The name used on command lines and in <see cref="Partitioners.Parse"/>.</summary>
    public const string PartitionerName = "natural-id";

    /// <inheritdoc/>
    public string Name => PartitionerName;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The source has no group ids, their count differs from the label count, an id is null, or there are fewer groups than clients.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clientCount"/> is below 1 or above the record count.</exception>
    public int[][] Partition(PartitionSource source, int clientCount, ulong seed)
    {
        PartitionGuard.CheckCommon(source, clientCount, Name);
        IReadOnlyList<string>? ids = source.GroupIds;
        if (ids is null)
        {
            throw new ArgumentException(
                $"Partitioning '{Name}' needs a group id per record (PartitionSource.GroupIds), but the source has none.", nameof(source));
        }

        if (ids.Count != source.Labels.Count)
        {
            throw new ArgumentException(
                $"Partitioning '{Name}' needs one group id per record, but there are {ids.Count} group ids for {source.Labels.Count} records.", nameof(source));
        }

        // Groups in order of first appearance, so the result does not depend on hashing.
        var groupOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var groups = new List<List<int>>();
        for (int i = 0; i < ids.Count; i++)
        {
            string id = ids[i] ?? throw new ArgumentException($"Record {i} has a null group id.", nameof(source));
            if (!groupOf.TryGetValue(id, out int group))
            {
                group = groups.Count;
                groupOf.Add(id, group);
                groups.Add([]);
            }

            groups[group].Add(i);
        }

        if (groups.Count < clientCount)
        {
            throw new ArgumentException(
                $"Partitioning '{Name}' cannot spread {groups.Count} groups over {clientCount} clients without splitting a group; use at most {groups.Count} clients.",
                nameof(clientCount));
        }

        int[] order = new int[groups.Count];
        for (int g = 0; g < order.Length; g++)
        {
            order[g] = g;
        }

        new DeterministicRandom(seed).Shuffle<int>(order);
        var parts = new List<int>[clientCount];
        for (int client = 0; client < clientCount; client++)
        {
            parts[client] = [];
        }

        // The lightest client (ties to the lowest index) takes the next group.
        var lightest = new PriorityQueue<int, (int Size, int Client)>();
        for (int client = 0; client < clientCount; client++)
        {
            lightest.Enqueue(client, (0, client));
        }

        foreach (int group in order)
        {
            int client = lightest.Dequeue();
            parts[client].AddRange(groups[group]);
            lightest.Enqueue(client, (parts[client].Count, client));
        }

        return PartitionGuard.ToSortedArrays(parts);
    }
}
