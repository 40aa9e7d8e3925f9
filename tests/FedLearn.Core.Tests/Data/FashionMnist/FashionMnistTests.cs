using FedLearn.Data;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Data.FashionMnistTests;

public sealed class FashionMnistTests
{
    private IdxTestFiles _files = null!;
    private string? _savedVariable;

    [SetUp]
    public void SetUp()
    {
        _files = new IdxTestFiles();
        _savedVariable = Environment.GetEnvironmentVariable(FashionMnist.DataDirectoryVariable);
        Environment.SetEnvironmentVariable(FashionMnist.DataDirectoryVariable, null);
    }

    [TearDown]
    public void TearDown()
    {
        Environment.SetEnvironmentVariable(FashionMnist.DataDirectoryVariable, _savedVariable);
        _files.Dispose();
    }

    [Test]
    public void Loads_the_real_test_split_as_pixels_over_255()
    {
        LabeledDataset test = FashionMnist.Load(RealData.Folder, FashionMnistSplit.Test);
        IdxArray raw = IdxReader.ReadImages(RealData.File("t10k-images-idx3-ubyte.gz"));

        Assert.That(test.Count, Is.EqualTo(10000));
        Assert.That(test.FeatureCount, Is.EqualTo(784));
        Assert.That(test.RecordShape, Is.EqualTo(new[] { 1, 28, 28 }));
        Assert.That(test.ClassCount, Is.EqualTo(10));
        Assert.That(test.Features.Min(), Is.EqualTo(0f));
        Assert.That(test.Features.Max(), Is.EqualTo(1f));
        Assert.That(test.GetFeatures(9999).ToArray(), Is.EqualTo(raw.Data.AsSpan(9999 * 784, 784).ToArray().Select(b => b / 255f)));
    }

    [Test]
    public void Without_a_folder_or_variable_loads_from_the_default_folder()
    {
        LabeledDataset test = FashionMnist.Load(null, train: false);

        Assert.That(test.Count, Is.EqualTo(10000));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Loads_a_folder_given_explicitly_with_compressed_or_uncompressed_names(bool gzip)
    {
        (byte[] pixels, byte[] labels) = _files.WriteFashionMnistSplit("train", 30, gzip);

        LabeledDataset train = FashionMnist.Load(_files.Folder, FashionMnistSplit.Train);

        Assert.That(train.Count, Is.EqualTo(30));
        Assert.That(train.Labels, Is.EqualTo(labels.Select(l => (int)l)));
        Assert.That(train.Features, Is.EqualTo(pixels.Select(p => p / 255f)));
    }

    [Test]
    public void Loads_the_folder_named_by_the_environment_variable()
    {
        _files.WriteFashionMnistSplit("t10k", 20, gzip: true);
        Environment.SetEnvironmentVariable(FashionMnist.DataDirectoryVariable, _files.Folder);

        Assert.That(FashionMnist.Load(null, FashionMnistSplit.Test).Count, Is.EqualTo(20));
    }

    [Test]
    public void Falls_back_to_the_default_folder_when_the_variable_names_an_empty_one()
    {
        Environment.SetEnvironmentVariable(FashionMnist.DataDirectoryVariable, _files.Folder);

        Assert.That(FashionMnist.Load(null, FashionMnistSplit.Test).Count, Is.EqualTo(10000));
    }

    [Test]
    public void A_missing_folder_says_where_it_looked_and_how_to_get_the_data()
    {
        string missing = Path.Combine(_files.Folder, "nothing-here");

        var ex = Assert.Throws<DatasetNotFoundException>(() => FashionMnist.Load(missing, FashionMnistSplit.Train));

        Assert.That(ex, Is.InstanceOf<FileNotFoundException>());
        Assert.That(ex.SearchedLocations, Is.EqualTo(new[] { missing }));
        Assert.That(ex.Message, Does.StartWith(
            $"Fashion-MNIST training data not found: looked for train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] in {missing} (the given data directory: no such folder)."));
        Assert.That(ex.Message, Does.Contain("apt-get install dataset-fashion-mnist"));
        Assert.That(ex.Message, Does.Contain("t10k-labels-idx1-ubyte.gz"));
        Assert.That(ex.Message, Does.Contain("--data-dir or set FEDLEARN_DATA"));
    }

    [Test]
    public void An_explicit_folder_is_the_only_place_looked_in()
    {
        _files.Write("t10k-images-idx3-ubyte.gz", IdxTestFiles.File([1, 28, 28], new byte[784]), gzip: true);

        var ex = Assert.Throws<DatasetNotFoundException>(() => FashionMnist.Load(_files.Folder, FashionMnistSplit.Test));

        Assert.That(ex.SearchedLocations, Has.Count.EqualTo(1));
        Assert.That(ex.Message, Does.Contain($"in {_files.Folder} (the given data directory: labels file missing)."));
    }

    [Test]
    public void Rejects_images_that_are_not_28_by_28()
    {
        _files.Write("t10k-images-idx3-ubyte", IdxTestFiles.File([2, 8, 8], new byte[128]), gzip: false);
        _files.Write("t10k-labels-idx1-ubyte", IdxTestFiles.File([2], [0, 1]), gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => FashionMnist.Load(_files.Folder, FashionMnistSplit.Test));

        Assert.That(ex.Message, Does.EndWith("holds images of 8×8 pixels; Fashion-MNIST images are 28×28."));
    }

    [Test]
    public void Names_the_ten_classes_in_label_order()
    {
        Assert.That(FashionMnist.ClassNames, Has.Count.EqualTo(FashionMnist.ClassCount));
        Assert.That(FashionMnist.ClassNames[0], Is.EqualTo("T-shirt/top"));
        Assert.That(FashionMnist.ClassNames[9], Is.EqualTo("Ankle boot"));
    }
}
