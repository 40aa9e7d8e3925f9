using System.Globalization;

namespace FedLearn.Partitioning;

/// <summary>
/// Label-skewed non-IID partitioning: for each class, the share of its records that each client gets is drawn from a
/// symmetric Dirichlet(α) over the clients. Small α (0.1) gives each client a few dominant classes; large α (1000)
/// approaches IID. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>
/// Label skew by a Dirichlet prior follows Hsu, Qi and Brown 2019 ("Measuring the Effects of Non-Identical Data
/// Distribution for Federated Visual Classification"). Like most federated benchmarks, FedLearn draws the
/// proportions per class over the clients (rather than per client over the classes), so every record is assigned
/// exactly once and the client sizes vary as well as their label mixes.
/// </para>
/// <para>
/// A class's shuffled records are cut at the rounded cumulative proportions. Small α often leaves a client with fewer
/// than <see cref="MinPartitionSize"/> records; the whole draw is then repeated, up to <see cref="MaxAttempts"/> times.
/// If every attempt falls short, the last draw is repaired: the client holding the most records gives one of its
/// records, picked at random, to a client below the minimum, until every client has the minimum. That is always
/// possible because the minimum times the client count may not exceed the record count, and it changes the draw
/// only at its margin.
/// </para>
/// </remarks>
public sealed class DirichletPartitioner : IPartitioner
{
    /// <summary>The prefix used on command lines: <c>dirichlet:&lt;alpha&gt;</c> or <c>dirichlet:&lt;alpha&gt;:&lt;min&gt;</c>.</summary>
    public const string NamePrefix = "dirichlet";

    /// <summary>The default <see cref="MinPartitionSize"/>: 1, so no client is left empty.</summary>
    public const int DefaultMinPartitionSize = 1;

    /// <summary>How often a draw that leaves a client below the minimum is repeated before it is repaired.</summary>
    public const int MaxAttempts = 10;

    /// <summary>Creates the partitioner.</summary>
    /// <param name="alpha">The Dirichlet concentration α; positive and finite.</param>
    /// <param name="minPartitionSize">Fewest records a client may get; at least 1. Default <see cref="DefaultMinPartitionSize"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="alpha"/> is not positive and finite, or <paramref name="minPartitionSize"/> is below 1.</exception>
    public DirichletPartitioner(double alpha, int minPartitionSize = DefaultMinPartitionSize)
    {
        if (!(alpha > 0) || double.IsInfinity(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The Dirichlet concentration α must be positive and finite.");
        }

        if (minPartitionSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(minPartitionSize), minPartitionSize, "The minimum partition size must be at least 1.");
        }

        Alpha = alpha;
        MinPartitionSize = minPartitionSize;
    }

    /// <summary>The Dirichlet concentration α.</summary>
    public double Alpha { get; }

    /// <summary>Fewest records a client gets.</summary>
    public int MinPartitionSize { get; }

    /// <inheritdoc/>
    public string Name => MinPartitionSize == DefaultMinPartitionSize
        ? string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}:{Alpha}")
        : string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}:{Alpha}:{MinPartitionSize}");

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clientCount"/> is below 1, or the clients cannot each get <see cref="MinPartitionSize"/> records.</exception>
    /// <exception cref="ArgumentException">A label is outside [0, ClassCount).</exception>
    public int[][] Partition(PartitionSource source, int clientCount, ulong seed)
    {
        PartitionGuard.CheckCommon(source, clientCount, Name);
        PartitionGuard.CheckLabels(source, Name);
        int count = source.Labels.Count;
        if ((long)clientCount * MinPartitionSize > count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(clientCount),
                clientCount,
                $"Partitioning '{Name}' cannot give each of {clientCount} clients at least {MinPartitionSize} records: there are only {count} records.");
        }

        var byClass = new List<int>[source.ClassCount];
        for (int c = 0; c < byClass.Length; c++)
        {
            byClass[c] = [];
        }

        for (int i = 0; i < count; i++)
        {
            byClass[source.Labels[i]].Add(i);
        }

        var random = new DeterministicRandom(seed);
        double[] proportions = new double[clientCount];
        List<int>[] parts = [];
        for (int attempt = 0; attempt < MaxAttempts; attempt++)
        {
            parts = Draw(byClass, proportions, random);
            if (parts.All(p => p.Count >= MinPartitionSize))
            {
                return PartitionGuard.ToSortedArrays(parts);
            }
        }

        Repair(parts, random);
        return PartitionGuard.ToSortedArrays(parts);
    }

    private List<int>[] Draw(List<int>[] byClass, double[] proportions, DeterministicRandom random)
    {
        var parts = new List<int>[proportions.Length];
        for (int client = 0; client < parts.Length; client++)
        {
            parts[client] = [];
        }

        foreach (List<int> classRecords in byClass)
        {
            int[] records = classRecords.ToArray();
            random.Shuffle<int>(records);
            SampleDirichlet(proportions, random);
            double cumulative = 0;
            int start = 0;
            for (int client = 0; client < parts.Length; client++)
            {
                cumulative += proportions[client];
                int end = client == parts.Length - 1
                    ? records.Length
                    : Math.Min(records.Length, (int)Math.Round(cumulative * records.Length, MidpointRounding.AwayFromZero));
                end = Math.Max(end, start);
                parts[client].AddRange(records.AsSpan(start, end - start));
                start = end;
            }
        }

        return parts;
    }

    /// <summary>A symmetric Dirichlet(α) sample: normalised Gamma(α, 1) draws.</summary>
    private void SampleDirichlet(double[] proportions, DeterministicRandom random)
    {
        double sum = 0;
        for (int k = 0; k < proportions.Length; k++)
        {
            proportions[k] = random.NextGamma(Alpha);
            sum += proportions[k];
        }

        if (sum > 0 && double.IsFinite(sum))
        {
            for (int k = 0; k < proportions.Length; k++)
            {
                proportions[k] /= sum;
            }

            return;
        }

        // For a tiny α every Gamma draw can underflow to zero; the limit of Dirichlet(α → 0) puts all mass on one
        // client chosen uniformly.
        Array.Clear(proportions);
        proportions[random.NextInt(proportions.Length)] = 1;
    }

    /// <summary>Moves random records from the largest clients to those below the minimum.</summary>
    private void Repair(List<int>[] parts, DeterministicRandom random)
    {
        for (int needy = 0; needy < parts.Length; needy++)
        {
            while (parts[needy].Count < MinPartitionSize)
            {
                int donor = 0;
                for (int client = 1; client < parts.Length; client++)
                {
                    if (parts[client].Count > parts[donor].Count)
                    {
                        donor = client;
                    }
                }

                // The donor holds more than the minimum: otherwise all clients would hold at most the minimum while
                // one holds less, i.e. fewer than clientCount × minimum records in total.
                int position = random.NextInt(parts[donor].Count);
                List<int> donorRecords = parts[donor];
                parts[needy].Add(donorRecords[position]);
                donorRecords[position] = donorRecords[^1];
                donorRecords.RemoveAt(donorRecords.Count - 1);
            }
        }
    }
}
