namespace FedLearn.Partitioning;

/// <summary>
/// The pathological non-IID partitioning of McMahan et al. 2017 ("Communication-Efficient Learning of Deep Networks
/// from Decentralized Data"): records sorted by label are cut into <c>clientCount × k</c> shards of (nearly) equal
/// size, and each client gets <c>k</c> shards chosen at random. When the shard size divides every class size, each
/// shard holds one label, so each client sees at most <c>k</c> labels. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Records of the same label are shuffled (seeded) before sorting, so which records of a label form a shard is random
/// too; shard sizes differ by at most one.
/// </remarks>
public sealed class ShardPartitioner : IPartitioner
{
    /// <summary>The prefix used on command lines: <c>shards:&lt;k&gt;</c>.</summary>
    public const string NamePrefix = "shards";

    /// <summary>Creates the partitioner.</summary>
    /// <param name="shardsPerClient">Shards given to each client (2 in McMahan et al. 2017); at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardsPerClient"/> is below 1.</exception>
    public ShardPartitioner(int shardsPerClient)
    {
        if (shardsPerClient < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shardsPerClient), shardsPerClient, "Each client needs at least 1 shard.");
        }

        ShardsPerClient = shardsPerClient;
    }

    /// <summary>Shards given to each client.</summary>
    public int ShardsPerClient { get; }

    /// <inheritdoc/>
    public string Name => $"{NamePrefix}:{ShardsPerClient}";

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clientCount"/> is below 1, or there are fewer records than shards.</exception>
    /// <exception cref="ArgumentException">A label is outside [0, ClassCount).</exception>
    public int[][] Partition(PartitionSource source, int clientCount, ulong seed)
    {
        PartitionGuard.CheckCommon(source, clientCount, Name);
        PartitionGuard.CheckLabels(source, Name);
        int count = source.Labels.Count;
        long shardCount = (long)clientCount * ShardsPerClient;
        if (shardCount > count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(clientCount),
                clientCount,
                $"Partitioning '{Name}' needs {clientCount} clients × {ShardsPerClient} shards = {shardCount} shards of at least one record, but there are only {count} records.");
        }

        var random = new DeterministicRandom(seed);
        int[] shuffled = new int[count];
        for (int i = 0; i < count; i++)
        {
            shuffled[i] = i;
        }

        random.Shuffle<int>(shuffled);

        // A stable counting sort by label keeps the shuffled order within each label.
        int[] starts = new int[source.ClassCount + 1];
        foreach (int label in source.Labels)
        {
            starts[label + 1]++;
        }

        for (int c = 0; c < source.ClassCount; c++)
        {
            starts[c + 1] += starts[c];
        }

        int[] byLabel = new int[count];
        foreach (int record in shuffled)
        {
            byLabel[starts[source.Labels[record]]++] = record;
        }

        int[] shardOrder = new int[shardCount];
        for (int s = 0; s < shardOrder.Length; s++)
        {
            shardOrder[s] = s;
        }

        random.Shuffle<int>(shardOrder);
        int[][] result = new int[clientCount][];
        for (int client = 0; client < clientCount; client++)
        {
            var records = new List<int>();
            for (int j = 0; j < ShardsPerClient; j++)
            {
                long shard = shardOrder[(client * ShardsPerClient) + j];
                int start = (int)(shard * count / shardCount);
                int end = (int)((shard + 1) * count / shardCount);
                records.AddRange(byLabel.AsSpan(start, end - start));
            }

            result[client] = records.ToArray();
            Array.Sort(result[client]);
        }

        return result;
    }
}
