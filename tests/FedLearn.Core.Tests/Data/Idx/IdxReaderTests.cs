using FedLearn.Data;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Data.Idx;

public sealed class IdxReaderTests
{
    private IdxTestFiles _files = null!;

    [SetUp]
    public void SetUp() => _files = new IdxTestFiles();

    [TearDown]
    public void TearDown() => _files.Dispose();

    [Test]
    public void Reads_the_real_Fashion_MNIST_training_images()
    {
        IdxArray images = IdxReader.ReadImages(RealData.File("train-images-idx3-ubyte.gz"));

        Assert.That(images.Dimensions, Is.EqualTo(new[] { 60000, 28, 28 }));
        Assert.That(images.ElementType, Is.EqualTo(IdxElementType.UnsignedByte));
        Assert.That(images.Data, Has.Length.EqualTo(60000 * 28 * 28));
        Assert.That(images.Data.Any(b => b != 0), Is.True);
    }

    [Test]
    public void Reads_the_real_Fashion_MNIST_labels_with_6000_training_and_1000_test_images_per_class()
    {
        IdxArray train = IdxReader.ReadLabels(RealData.File("train-labels-idx1-ubyte.gz"));
        IdxArray test = IdxReader.ReadLabels(RealData.File("t10k-labels-idx1-ubyte.gz"));

        Assert.That(train.Dimensions, Is.EqualTo(new[] { 60000 }));
        Assert.That(test.Dimensions, Is.EqualTo(new[] { 10000 }));
        Assert.That(Histogram(train.Data), Is.EqualTo(Enumerable.Repeat(6000, 10)));
        Assert.That(Histogram(test.Data), Is.EqualTo(Enumerable.Repeat(1000, 10)));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Reads_what_was_written_raw_or_gzip(bool gzip)
    {
        byte[] data = IdxTestFiles.Bytes(5 * 3 * 2, seed: 7);
        string path = _files.Write("images", IdxTestFiles.File([5, 3, 2], data), gzip);

        IdxArray array = IdxReader.Read(path);

        Assert.That(array.Dimensions, Is.EqualTo(new[] { 5, 3, 2 }));
        Assert.That(array.Data, Is.EqualTo(data));
        Assert.That(array.Count, Is.EqualTo(5));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Reads_a_gzip_file_larger_than_its_first_buffer(bool gzip)
    {
        // 3 MiB: the gzip path grows its buffer twice.
        byte[] data = IdxTestFiles.Bytes(3 * 1024 * 1024, seed: 3);
        string path = _files.Write("big", IdxTestFiles.File([3 * 1024, 1024], data), gzip);

        Assert.That(IdxReader.Read(path).Data, Is.EqualTo(data));
    }

    [Test]
    public void Reads_an_empty_array()
    {
        string path = _files.Write("empty", IdxTestFiles.File([0, 28, 28], []), gzip: true);

        IdxArray array = IdxReader.ReadImages(path);

        Assert.That(array.Dimensions, Is.EqualTo(new[] { 0, 28, 28 }));
        Assert.That(array.Data, Is.Empty);
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Rejects_a_truncated_file(bool gzip)
    {
        byte[] content = IdxTestFiles.File([5, 3, 2], IdxTestFiles.Bytes(20, seed: 1));
        string path = _files.Write("truncated", content, gzip);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Does.Contain($"IDX file '{path}' ends after 20 of 30 data bytes"));
        Assert.That(ex.Message, Does.Contain("[5, 3, 2]"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Rejects_a_file_with_trailing_bytes_as_oversized(bool gzip)
    {
        byte[] content = IdxTestFiles.File([5, 3, 2], IdxTestFiles.Bytes(33, seed: 1));
        string path = _files.Write("oversized", content, gzip);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Does.Contain($"IDX file '{path}' is oversized"));
        Assert.That(ex.Message, Does.Contain("30 data bytes, but 3 more bytes follow"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Rejects_a_header_that_claims_more_images_than_present_without_allocating_the_claim(bool gzip)
    {
        // Claims 60,000 images (47 MB) but holds 10.
        byte[] content = IdxTestFiles.File([60000, 28, 28], IdxTestFiles.Bytes(10 * 28 * 28, seed: 2));
        string path = _files.Write("liar", content, gzip);

        long before = GC.GetAllocatedBytesForCurrentThread();
        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(ex.Message, Does.Contain($"IDX file '{path}' ends after 7840 of 47040000 data bytes"));
        Assert.That(allocated, Is.LessThan(8 * 1024 * 1024), "the reader allocated what the header merely claims");
    }

    [Test]
    public void Rejects_a_header_beyond_the_limit_before_reading_data()
    {
        // Claims 4 × 2^30 bytes; far more than the default limit of 512 MiB.
        byte[] content = IdxTestFiles.File([65536, 256, 256], IdxTestFiles.Bytes(100, seed: 2));
        string path = _files.Write("huge", content, gzip: true);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Does.Contain($"IDX file '{path}' declares dimensions [65536, 256, 256], 4294967296 data bytes"));
        Assert.That(ex.Message, Does.Contain($"more than the limit of {IdxReader.DefaultMaxDataBytes} bytes"));
    }

    [Test]
    public void Rejects_a_header_whose_size_overflows_without_computing_it()
    {
        // 2^16 × 2^16 × 2^16 × 2^16 overflows a long; the reader stops multiplying past the limit.
        byte[] content = IdxTestFiles.File([65536, 65536, 65536, 65536], []);
        string path = _files.Write("overflow", content, gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Does.Contain("declares dimensions [65536, 65536, 65536, 65536], at least 4294967296 data bytes, more than the limit"));
    }

    [Test]
    public void Honours_a_configured_limit()
    {
        string path = _files.Write("small", IdxTestFiles.File([30], IdxTestFiles.Bytes(30, seed: 2)), gzip: false);

        Assert.That(IdxReader.Read(path, maxDataBytes: 30).Count, Is.EqualTo(30));
        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path, maxDataBytes: 29));
        Assert.That(ex.Message, Does.Contain("declares dimensions [30], 30 data bytes, more than the limit of 29 bytes"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Rejects_a_wrong_magic(bool gzip)
    {
        byte[] content = [0x12, 0x34, 0x08, 0x01, 0, 0, 0, 1, 42];
        string path = _files.Write("magic", content, gzip);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Is.EqualTo($"'{path}' is not an IDX file: it starts with 0x12 0x34, but an IDX file starts with two zero bytes."));
    }

    [Test]
    public void Rejects_an_element_type_other_than_unsigned_byte()
    {
        string path = _files.Write("floats", IdxTestFiles.File([2], new byte[8], typeCode: 0x0D), gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Is.EqualTo($"IDX file '{path}' holds elements of type code 0x0D (32-bit float); only 0x08 (unsigned byte) is supported."));
    }

    [TestCase(0)]
    [TestCase(5)]
    public void Rejects_an_unsupported_dimension_count(int rank)
    {
        byte[] content = [0, 0, 0x08, (byte)rank, .. new byte[4 * rank], 1];
        string path = _files.Write("rank", content, gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Is.EqualTo($"IDX file '{path}' declares {rank} dimensions; 1 to 4 are supported."));
    }

    [Test]
    public void Rejects_a_dimension_above_int_max()
    {
        byte[] content = [0, 0, 0x08, 1, 0x80, 0, 0, 0];
        string path = _files.Write("negative", content, gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Is.EqualTo($"IDX file '{path}' declares size 2147483648 for dimension 0, which is above 2147483647."));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Rejects_a_truncated_header(bool gzip)
    {
        byte[] content = [.. IdxTestFiles.Header(0x08, 5, 3, 2)[..10]];
        string path = _files.Write("header", content, gzip);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Is.EqualTo($"IDX file '{path}' ends after 10 of 16 header bytes."));
    }

    [Test]
    public void Rejects_a_corrupt_gzip_stream()
    {
        byte[] content = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        string path = _files.Write("corrupt.gz", content, gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Does.StartWith($"'{path}' is not a valid gzip file"));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Rejects_an_images_file_read_as_labels(bool gzip)
    {
        string path = _files.Write("images", IdxTestFiles.File([4, 2, 2], new byte[16]), gzip);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.ReadLabels(path));

        Assert.That(ex.Message, Is.EqualTo(
            $"'{path}' is not a labels file: it holds 3-dimensional data [4, 2, 2], which looks like an images file; a labels file has exactly 1 dimension."));
    }

    [Test]
    public void Rejects_a_labels_file_read_as_images()
    {
        string path = _files.Write("labels", IdxTestFiles.File([4], new byte[4]), gzip: true);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.ReadImages(path));

        Assert.That(ex.Message, Is.EqualTo(
            $"'{path}' is not an images file: it holds 1-dimensional data [4], which looks like a labels file; an images file has 3 dimensions (count, rows, columns)."));
    }

    [Test]
    public void Names_a_missing_file()
    {
        string path = Path.Combine(_files.Folder, "absent.gz");

        var ex = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(path));

        Assert.That(ex.Message, Does.Contain(path));
    }

    [Test]
    public void Reads_a_labelled_pair_as_pixels_over_255()
    {
        byte[] pixels = [0, 51, 255, 128, 1, 2, 3, 4];
        string images = _files.Write("images", IdxTestFiles.File([2, 2, 2], pixels), gzip: true);
        string labels = _files.Write("labels", IdxTestFiles.File([2], [3, 0]), gzip: false);

        LabeledDataset dataset = IdxReader.ReadLabeledImages(images, labels, classCount: 4);

        Assert.That(dataset.Features, Is.EqualTo(pixels.Select(p => p / 255f)));
        Assert.That(dataset.Labels, Is.EqualTo(new[] { 3, 0 }));
        Assert.That(dataset.RecordShape, Is.EqualTo(new[] { 1, 2, 2 }));
        Assert.That(dataset.ClassCount, Is.EqualTo(4));
    }

    [Test]
    public void Rejects_a_pair_whose_counts_differ()
    {
        string images = _files.Write("images", IdxTestFiles.File([3, 2, 2], new byte[12]), gzip: false);
        string labels = _files.Write("labels", IdxTestFiles.File([2], [1, 0]), gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.ReadLabeledImages(images, labels, classCount: 10));

        Assert.That(ex.Message, Is.EqualTo(
            $"'{images}' holds 3 images but '{labels}' holds 2 labels; an images file and its labels file must hold the same count."));
    }

    [Test]
    public void Rejects_a_label_outside_the_classes()
    {
        string images = _files.Write("images", IdxTestFiles.File([3, 2, 2], new byte[12]), gzip: false);
        string labels = _files.Write("labels", IdxTestFiles.File([3], [1, 0, 10]), gzip: false);

        var ex = Assert.Throws<FedLearnFormatException>(() => IdxReader.ReadLabeledImages(images, labels, classCount: 10));

        Assert.That(ex.Message, Is.EqualTo($"'{labels}' gives record 2 the label 10, outside [0, 10)."));
    }

    private static int[] Histogram(byte[] labels)
    {
        int[] counts = new int[10];
        foreach (byte label in labels)
        {
            counts[label]++;
        }

        return counts;
    }
}
