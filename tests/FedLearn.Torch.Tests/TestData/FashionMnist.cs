using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Compression;
using FedLearn.Data;

namespace FedLearn.Torch.Tests.TestData;

/// <summary>
/// Reads the first records of the installed Fashion-MNIST gzip IDX files (Debian package dataset-fashion-mnist) into a
/// <see cref="LabeledDataset"/> of [1, 28, 28] images scaled to [0, 1]. A small reader for these tests only.
/// </summary>
internal static class FashionMnist
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    private static readonly ConcurrentDictionary<(bool Train, int Count), LabeledDataset> Cache = new();

    public static LabeledDataset Train(int count) => Cache.GetOrAdd((true, count), key => Load("train", key.Count));

    public static LabeledDataset Test(int count) => Cache.GetOrAdd((false, count), key => Load("t10k", key.Count));

    private static LabeledDataset Load(string prefix, int count)
    {
        string images = Path.Combine(Directory, $"{prefix}-images-idx3-ubyte.gz");
        string labels = Path.Combine(Directory, $"{prefix}-labels-idx1-ubyte.gz");
        if (!File.Exists(images) || !File.Exists(labels))
        {
            Assert.Fail($"Fashion-MNIST is missing from {Directory}; install it with: sudo bash eng/install-prereqs.sh");
        }

        byte[] pixels = ReadIdx(images, expectedMagic: 0x0803, count, out int[] imageDims);
        byte[] classes = ReadIdx(labels, expectedMagic: 0x0801, count, out _);
        int featureCount = imageDims[1] * imageDims[2];
        var features = new float[count * featureCount];
        for (int i = 0; i < features.Length; i++)
        {
            features[i] = pixels[i] / 255f;
        }

        int[] labelValues = classes.Select(b => (int)b).ToArray();
        return new LabeledDataset(features, labelValues, featureCount, classCount: 10, shape: [1, imageDims[1], imageDims[2]]);
    }

    /// <summary>Reads the header and the first <paramref name="count"/> records of a gzip IDX file of unsigned bytes.</summary>
    private static byte[] ReadIdx(string path, int expectedMagic, int count, out int[] dims)
    {
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        Span<byte> word = stackalloc byte[4];
        gzip.ReadExactly(word);
        int magic = BinaryPrimitives.ReadInt32BigEndian(word);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException($"{path}: magic 0x{magic:X8}, expected 0x{expectedMagic:X8}.");
        }

        int rank = magic & 0xFF;
        dims = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            gzip.ReadExactly(word);
            dims[i] = BinaryPrimitives.ReadInt32BigEndian(word);
        }

        if (count > dims[0])
        {
            throw new InvalidDataException($"{path} holds {dims[0]} records, fewer than the {count} asked for.");
        }

        int recordSize = 1;
        for (int i = 1; i < rank; i++)
        {
            recordSize *= dims[i];
        }

        var data = new byte[count * recordSize];
        gzip.ReadExactly(data);
        return data;
    }
}
