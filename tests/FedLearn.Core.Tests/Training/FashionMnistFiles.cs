using System.Buffers.Binary;
using System.IO.Compression;
using FedLearn.Data;

namespace FedLearn.Core.Tests.Training;

/// <summary>
/// Reads the gzip IDX files of Fashion-MNIST for tests (pixels scaled to [0, 1]). A minimal reader for the test
/// project only; it checks the headers it relies on.
/// </summary>
internal static class FashionMnistFiles
{
    public const string Directory = "/usr/share/datasets/fashion-mnist";

    public static bool Available => File.Exists(Path.Combine(Directory, "t10k-labels-idx1-ubyte.gz"));

    public static LabeledDataset Load(string split, int maxCount)
    {
        byte[] images = ReadGzip(Path.Combine(Directory, $"{split}-images-idx3-ubyte.gz"));
        byte[] labels = ReadGzip(Path.Combine(Directory, $"{split}-labels-idx1-ubyte.gz"));
        Require(images.Length >= 16 && BinaryPrimitives.ReadInt32BigEndian(images) == 0x0803, "image file header");
        Require(labels.Length >= 8 && BinaryPrimitives.ReadInt32BigEndian(labels) == 0x0801, "label file header");
        int count = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(4));
        int rows = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(8));
        int columns = BinaryPrimitives.ReadInt32BigEndian(images.AsSpan(12));
        Require(rows == 28 && columns == 28, "28×28 images");
        Require(BinaryPrimitives.ReadInt32BigEndian(labels.AsSpan(4)) == count, "as many labels as images");
        Require(images.Length == 16 + ((long)count * rows * columns) && labels.Length == 8 + count, "file lengths");

        int take = Math.Min(count, maxCount);
        int features = rows * columns;
        float[] pixels = new float[take * features];
        for (int i = 0; i < pixels.Length; i++)
        {
            pixels[i] = images[16 + i] / 255f;
        }

        int[] classes = labels.AsSpan(8, take).ToArray().Select(b => (int)b).ToArray();
        return new LabeledDataset(pixels, classes, features, 10, [1, rows, columns]);
    }

    private static byte[] ReadGzip(string path)
    {
        using FileStream file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static void Require(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidDataException($"Fashion-MNIST file check failed: {what}.");
        }
    }
}
