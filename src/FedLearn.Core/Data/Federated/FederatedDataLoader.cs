using FedLearn.Options;
using System.ComponentModel.DataAnnotations;
using FedLearn.Partitioning;
using Microsoft.Extensions.Options;

namespace FedLearn.Data;

/// <summary>
/// The data of a simulated federation: a training set partitioned among clients, each client's partition split into
/// local train and test views, and the central test set for server-side evaluation. Immutable and thread-safe once
/// built; all clients share one copy of the features.
/// </summary>
/// <remarks>
/// <see cref="GetOrCreate"/> keeps one loader per distinct <see cref="FederatedDataOptions"/> for the life of the
/// process, built once on first use from any number of threads, and loads each Fashion-MNIST file once however many
/// configurations use it. The data folder is resolved when a loader is first built.
/// </remarks>
public sealed class FederatedDataLoader
{
    private static readonly LazyCache<FederatedDataOptions, FederatedDataLoader> Loaders = new();
    private static readonly LazyCache<(string Images, string Labels), LabeledDataset> Datasets = new();

    private readonly ClientData[] _clients;

    private FederatedDataLoader(LabeledDataset train, LabeledDataset centralTest, FederatedDataOptions options, IReadOnlyList<string>? groupIds)
    {
        IPartitioner partitioner = Partitioners.Parse(options.Partition);
        int trainCount = Math.Min(options.TrainSubset ?? int.MaxValue, train.Count);
        IReadOnlyList<string>? groups = null;
        if (groupIds is not null)
        {
            if (groupIds.Count != train.Count)
            {
                throw new ArgumentException($"There are {groupIds.Count} group ids for {train.Count} training records.", nameof(groupIds));
            }

            groups = trainCount == train.Count ? groupIds : groupIds.Take(trainCount).ToArray();
        }

        var source = new PartitionSource(new ArraySegment<int>(train.Labels, 0, trainCount), train.ClassCount, groups);
        int[][] partition = partitioner.Partition(source, options.ClientCount, Seeds.Derive(options.Seed, "partition"));
        _clients = new ClientData[options.ClientCount];
        for (int client = 0; client < _clients.Length; client++)
        {
            var view = new DatasetView(train, partition[client]);
            DatasetSplit split = TrainTestSplit.Split(view, options.TestFraction, Seeds.Derive(options.Seed, "train-test-split", client));
            _clients[client] = new ClientData(client, split.Train, split.Test, options.TrainTransform);
        }

        Options = options;
        PartitionerName = partitioner.Name;
        Train = train;
        CentralTest = centralTest;
    }

    /// <summary>The options the loader was built with.</summary>
    public FederatedDataOptions Options { get; }

    /// <summary>The partitioner's name, for example <c>dirichlet:0.5</c>.</summary>
    public string PartitionerName { get; }

    /// <summary>Number of clients.</summary>
    public int ClientCount => _clients.Length;

    /// <summary>The whole training set the partitions index into (including records beyond <see cref="FederatedDataOptions.TrainSubset"/>).</summary>
    public LabeledDataset Train { get; }

    /// <summary>The central test set, for evaluation on the server (Fashion-MNIST's official test split).</summary>
    public LabeledDataset CentralTest { get; }

    /// <summary>
    /// The cached loader for <paramref name="options"/> over Fashion-MNIST, built on first use. Safe to call from any
    /// thread: equal options always return the same instance, and it is built once.
    /// </summary>
    /// <param name="options">The configuration; validated before anything is loaded.</param>
    /// <returns>The shared loader.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every error.</exception>
    /// <exception cref="DatasetNotFoundException">The Fashion-MNIST files were not found.</exception>
    /// <exception cref="FedLearnFormatException">A Fashion-MNIST file is invalid.</exception>
    public static FederatedDataLoader GetOrCreate(FederatedDataOptions options)
    {
        EnsureValid(options);
        return Loaders.GetOrCreate(options, static o =>
        {
            LabeledDataset train = LoadShared(o.DataDirectory, FashionMnistSplit.Train);
            LabeledDataset test = LoadShared(o.DataDirectory, FashionMnistSplit.Test);
            return new FederatedDataLoader(train, test, o, groupIds: null);
        });
    }

    /// <summary>Builds an uncached loader over data the caller already holds (a host's own data, or test data).</summary>
    /// <param name="train">The records to partition among clients.</param>
    /// <param name="centralTest">The records for central evaluation.</param>
    /// <param name="options">The configuration; <see cref="FederatedDataOptions.DataDirectory"/> is ignored.</param>
    /// <param name="groupIds">A natural id per training record, for <c>natural-id</c> partitioning; otherwise <see langword="null"/>.</param>
    /// <returns>A new loader.</returns>
    /// <exception cref="OptionsValidationException">The options are invalid; the exception lists every error.</exception>
    /// <exception cref="ArgumentException">The data cannot be partitioned as asked (too few records or groups, no group ids for <c>natural-id</c>, ...).</exception>
    public static FederatedDataLoader Create(LabeledDataset train, LabeledDataset centralTest, FederatedDataOptions options, IReadOnlyList<string>? groupIds = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(centralTest);
        EnsureValid(options);
        return new FederatedDataLoader(train, centralTest, options, groupIds);
    }

    /// <summary>The data of one client.</summary>
    /// <param name="clientIndex">From 0 to <see cref="ClientCount"/> − 1.</param>
    /// <returns>The client's train and test views (shared; immutable).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clientIndex"/> is outside [0, <see cref="ClientCount"/>).</exception>
    public ClientData GetClient(int clientIndex)
    {
        if ((uint)clientIndex >= (uint)_clients.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(clientIndex), clientIndex, $"The client index must be in [0, {_clients.Length}).");
        }

        return _clients[clientIndex];
    }

    private static LabeledDataset LoadShared(string? dataDirectory, FashionMnistSplit split)
    {
        (string images, string labels) = FashionMnist.LocateFiles(dataDirectory, split);
        return Datasets.GetOrCreate((images, labels), static files => FashionMnist.ReadFiles(files.Images, files.Labels));
    }

    private static void EnsureValid(FederatedDataOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(FederatedDataOptions));
    }
}
