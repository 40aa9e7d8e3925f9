namespace FedLearn;

/// <summary>
/// Splits a dataset's records among clients (IID, Dirichlet over labels, shards, natural id, ...).
/// Pure and deterministic: the same input and seed give the same partition.
/// </summary>
public interface IPartitioner
{
    /// <summary>Short name (for example <c>dirichlet:0.5</c>).</summary>
    string Name { get; }

    /// <summary>Assigns every record to exactly one client.</summary>
    /// <param name="source">Labels (and group ids where the partitioner needs them) of the records.</param>
    /// <param name="clientCount">Number of clients; at least 1.</param>
    /// <param name="seed">Seed for every random choice.</param>
    /// <returns>For each client, the indices of its records in ascending order.</returns>
    int[][] Partition(PartitionSource source, int clientCount, ulong seed);
}

/// <summary>What a partitioner may look at: the label of each record and, optionally, a group id per record.</summary>
/// <param name="Labels">Class label of each record, in [0, <paramref name="ClassCount"/>).</param>
/// <param name="ClassCount">Number of classes.</param>
/// <param name="GroupIds">Optional natural id of each record (for example a patient); records sharing one stay together.</param>
public sealed record PartitionSource(IReadOnlyList<int> Labels, int ClassCount, IReadOnlyList<string>? GroupIds = null);
