using System.Buffers.Binary;
using System.IO.Compression;

namespace FedLearn.Core.Tests.Data;

/// <summary>Writes small IDX files (raw or gzip) into a temporary folder for the data tests.</summary>
internal sealed class IdxTestFiles : IDisposable
{
    public IdxTestFiles()
    {
        Folder = Path.Combine(Path.GetTempPath(), "fedlearn-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
    }

    public string Folder { get; }

    public static byte[] Header(byte typeCode, params int[] dimensions)
    {
        byte[] header = new byte[4 + (4 * dimensions.Length)];
        header[2] = typeCode;
        header[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), dimensions[i]);
        }

        return header;
    }

    public static byte[] File(int[] dimensions, byte[] data, byte typeCode = 0x08) => [.. Header(typeCode, dimensions), .. data];

    public static byte[] Bytes(int count, int seed)
    {
        byte[] bytes = new byte[count];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public string Write(string name, byte[] content, bool gzip)
    {
        string path = Path.Combine(Folder, name);
        if (gzip)
        {
            using var file = System.IO.File.Create(path);
            using var compressor = new GZipStream(file, CompressionLevel.Fastest);
            compressor.Write(content);
        }
        else
        {
            System.IO.File.WriteAllBytes(path, content);
        }

        return path;
    }

    /// <summary>Writes a Fashion-MNIST-shaped pair (28×28 images, labels i mod 10) under the official file names.</summary>
    public (byte[] Pixels, byte[] Labels) WriteFashionMnistSplit(string prefix, int count, bool gzip, int seed = 1)
    {
        byte[] pixels = Bytes(count * 28 * 28, seed);
        byte[] labels = Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray();
        string suffix = gzip ? ".gz" : string.Empty;
        Write($"{prefix}-images-idx3-ubyte{suffix}", File([count, 28, 28], pixels), gzip);
        Write($"{prefix}-labels-idx1-ubyte{suffix}", File([count], labels), gzip);
        return (pixels, labels);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
        {
            Directory.Delete(Folder, recursive: true);
        }
    }
}
