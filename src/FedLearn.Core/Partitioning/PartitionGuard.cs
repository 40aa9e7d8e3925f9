namespace FedLearn.Partitioning;

/// <summary>The argument checks shared by the partitioners, with messages that name what is wrong.</summary>
internal static class PartitionGuard
{
    /// <summary>Checks the source and the client count: at least one client, and no more clients than records.</summary>
    public static void CheckCommon(PartitionSource source, int clientCount, string partitionerName)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(source.Labels, nameof(source) + "." + nameof(source.Labels));
        if (clientCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(clientCount), clientCount, $"Partitioning '{partitionerName}' needs at least 1 client.");
        }

        if (clientCount > source.Labels.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(clientCount),
                clientCount,
                $"Partitioning '{partitionerName}' cannot give each of {clientCount} clients a record: there are only {source.Labels.Count} records.");
        }
    }

    /// <summary>Checks that every label is in [0, ClassCount).</summary>
    public static void CheckLabels(PartitionSource source, string partitionerName)
    {
        if (source.ClassCount < 1)
        {
            throw new ArgumentException($"Partitioning '{partitionerName}' needs a class count of at least 1, not {source.ClassCount}.", nameof(source));
        }

        for (int i = 0; i < source.Labels.Count; i++)
        {
            int label = source.Labels[i];
            if ((uint)label >= (uint)source.ClassCount)
            {
                throw new ArgumentException($"Label {label} of record {i} is outside [0, {source.ClassCount}).", nameof(source));
            }
        }
    }

    /// <summary>Turns per-client lists into the sorted arrays that <see cref="IPartitioner.Partition"/> returns.</summary>
    public static int[][] ToSortedArrays(List<int>[] parts)
    {
        int[][] result = new int[parts.Length][];
        for (int client = 0; client < parts.Length; client++)
        {
            result[client] = parts[client].ToArray();
            Array.Sort(result[client]);
        }

        return result;
    }
}
