namespace FedLearn.Partitioning;

/// <summary>
/// Independent and identically distributed partitioning: a seeded shuffle of all records cut into
/// <c>clientCount</c> contiguous pieces whose sizes differ by at most one. Every client sees (in expectation) the
/// global label distribution. Stateless and thread-safe.
/// </summary>
public sealed class IidPartitioner : IPartitioner
{
    /// <summary>The name used on command lines and in <see cref="Partitioners.Parse"/>.</summary>
    public const string PartitionerName = "iid";

    /// <inheritdoc/>
    public string Name => PartitionerName;

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clientCount"/> is below 1 or above the record count.</exception>
    public int[][] Partition(PartitionSource source, int clientCount, ulong seed)
    {
        PartitionGuard.CheckCommon(source, clientCount, Name);
        int count = source.Labels.Count;
        int[] order = new int[count];
        for (int i = 0; i < count; i++)
        {
            order[i] = i;
        }

        new DeterministicRandom(seed).Shuffle<int>(order);
        int[][] result = new int[clientCount][];
        for (int client = 0; client < clientCount; client++)
        {
            int start = (int)((long)client * count / clientCount);
            int end = (int)((long)(client + 1) * count / clientCount);
            result[client] = order[start..end];
            Array.Sort(result[client]);
        }

        return result;
    }
}
