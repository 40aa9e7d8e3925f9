using System.Collections.Concurrent;
using FedLearn.Data;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Data.Federated;

public sealed class FederatedDataLoaderTests
{
    private IdxTestFiles _files = null!;

    [SetUp]
    public void SetUp()
    {
        _files = new IdxTestFiles();
        _files.WriteFashionMnistSplit("train", 200, gzip: true, seed: 1);
        _files.WriteFashionMnistSplit("t10k", 50, gzip: false, seed: 2);
    }

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Equal_options_give_the_same_instance()
    {
        FederatedDataLoader first = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 4 });
        FederatedDataLoader second = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 4 });
        FederatedDataLoader other = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 5 });

        Assert.That(second, Is.SameAs(first));
        Assert.That(other, Is.Not.SameAs(first));
        Assert.That(other.Train, Is.SameAs(first.Train), "each data file is loaded once for all configurations");
    }

    [Test]
    public void Parallel_callers_get_one_instance()
    {
        var options = new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 8, Partition = "dirichlet:0.5", Seed = 77 };
        var results = new ConcurrentBag<FederatedDataLoader>();
        using var start = new Barrier(8);

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            start.SignalAndWait();
            results.Add(FederatedDataLoader.GetOrCreate(options with { }));
        });

        Assert.That(results, Has.Count.EqualTo(8));
        Assert.That(results.Distinct(), Has.Exactly(1).Items);
    }

    [TestCase("iid")]
    [TestCase("dirichlet:0.3")]
    [TestCase("shards:2")]
    public void Each_client_splits_its_own_partition_into_disjoint_train_and_test_views(string partition)
    {
        FederatedDataLoader loader = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 10, Partition = partition });

        var seen = new HashSet<int>();
        for (int client = 0; client < loader.ClientCount; client++)
        {
            ClientData data = loader.GetClient(client);
            int[] train = data.Train.Indices.ToArray();
            int[] test = data.Test.Indices.ToArray();

            Assert.That(train.Intersect(test), Is.Empty);
            Assert.That(test, Has.Length.EqualTo((int)Math.Round(data.Count * 0.2, MidpointRounding.AwayFromZero)));
            Assert.That(data.Train.Dataset, Is.SameAs(loader.Train));
            foreach (int record in train.Concat(test))
            {
                Assert.That(seen.Add(record), Is.True, $"record {record} is on two clients");
            }
        }

        Assert.That(seen.Order(), Is.EqualTo(Enumerable.Range(0, 200)), "the clients' records are not the whole training set");
    }

    [Test]
    public void A_train_subset_partitions_only_the_first_records()
    {
        FederatedDataLoader loader = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 3, TrainSubset = 60 });

        int[] all = Enumerable.Range(0, loader.ClientCount)
            .SelectMany(c => loader.GetClient(c).Train.Indices.ToArray().Concat(loader.GetClient(c).Test.Indices.ToArray()))
            .Order()
            .ToArray();

        Assert.That(all, Is.EqualTo(Enumerable.Range(0, 60)));
        Assert.That(loader.CentralTest.Count, Is.EqualTo(50));
    }

    [Test]
    public void Loads_real_Fashion_MNIST_by_default()
    {
        FederatedDataLoader loader = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = RealData.Folder, ClientCount = 100, Partition = "dirichlet:0.5" });

        Assert.That(loader.CentralTest.Count, Is.EqualTo(10000));
        Assert.That(Enumerable.Range(0, 100).Sum(c => loader.GetClient(c).Count), Is.EqualTo(60000));
        Assert.That(loader.PartitionerName, Is.EqualTo("dirichlet:0.5"));
    }

    [Test]
    public void Lists_every_invalid_option_at_once()
    {
        var options = new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 0, TestFraction = 1, Partition = "random" };

        var ex = Assert.Throws<OptionsValidationException>(() => FederatedDataLoader.GetOrCreate(options));

        Assert.That(ex.Failures.Count(), Is.EqualTo(3));
        Assert.That(ex.Message, Does.Contain("ClientCount: The field ClientCount must be between 1 and 2147483647."));
        Assert.That(ex.Message, Does.Contain("TestFraction: The field TestFraction must be between 0 and 1"));
        Assert.That(ex.Message, Does.Contain("Partition: Unknown partitioning 'random'."));
    }

    [Test]
    public void Rejects_a_subset_smaller_than_the_client_count()
    {
        var options = new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 10, TrainSubset = 5 };

        var ex = Assert.Throws<OptionsValidationException>(() => FederatedDataLoader.GetOrCreate(options));

        Assert.That(ex.Message, Does.Contain("The TrainSubset of 5 records cannot give each of 10 clients a record."));
    }

    [Test]
    public void A_failed_load_is_not_cached()
    {
        string later = Path.Combine(_files.Folder, "later");
        var options = new FederatedDataOptions { DataDirectory = later, ClientCount = 2 };

        Assert.Throws<DatasetNotFoundException>(() => FederatedDataLoader.GetOrCreate(options));
        Directory.CreateDirectory(later);
        foreach (string file in Directory.GetFiles(_files.Folder))
        {
            File.Copy(file, Path.Combine(later, Path.GetFileName(file)));
        }

        Assert.That(FederatedDataLoader.GetOrCreate(options).ClientCount, Is.EqualTo(2));
    }

    [Test]
    public void Partitions_a_host_dataset_by_natural_id()
    {
        var train = new LabeledDataset(new float[120], Enumerable.Range(0, 120).Select(i => i % 2).ToArray(), featureCount: 1, classCount: 2);
        string[] patients = Enumerable.Range(0, 120).Select(i => "patient-" + (i % 30)).ToArray();

        FederatedDataLoader loader = FederatedDataLoader.Create(train, train, new FederatedDataOptions { ClientCount = 4, Partition = "natural-id" }, patients);

        for (int client = 0; client < loader.ClientCount; client++)
        {
            ClientData data = loader.GetClient(client);
            var mine = data.Train.Indices.ToArray().Concat(data.Test.Indices.ToArray()).Select(r => patients[r]).ToHashSet();
            for (int other = 0; other < loader.ClientCount; other++)
            {
                if (other != client)
                {
                    ClientData theirs = loader.GetClient(other);
                    Assert.That(theirs.Train.Indices.ToArray().Concat(theirs.Test.Indices.ToArray()).Any(r => mine.Contains(patients[r])), Is.False);
                }
            }
        }
    }

    [Test]
    public void Trainers_copy_training_records_through_the_transform()
    {
        var flip = new RandomHorizontalFlip(1, 28, 28, probability: 1);
        FederatedDataLoader loader = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 2, TrainTransform = flip });
        ClientData data = loader.GetClient(1);
        float[] copied = new float[784];
        float[] expected = new float[784];

        data.CopyTrainFeatures(0, copied, new DeterministicRandom(1));
        flip.Apply(data.Train.GetFeatures(0), expected, new DeterministicRandom(1));

        Assert.That(data.TrainTransform, Is.SameAs(flip));
        Assert.That(copied, Is.EqualTo(expected));
        Assert.That(copied, Is.Not.EqualTo(data.Train.GetFeatures(0).ToArray()));
    }

    [Test]
    public void Rejects_a_client_index_outside_the_federation()
    {
        FederatedDataLoader loader = FederatedDataLoader.GetOrCreate(new FederatedDataOptions { DataDirectory = _files.Folder, ClientCount = 3 });

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => loader.GetClient(3));

        Assert.That(ex.Message, Does.StartWith("The client index must be in [0, 3)."));
    }
}
