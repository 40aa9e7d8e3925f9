using System.IO.Compression;
using System.Numerics.Tensors;

namespace FedLearn.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST, gzip-compressed (detected by the 0x1F 0x8B magic) or raw.
/// Only unsigned-byte files with 1 to 4 dimensions are accepted. Every length is checked before memory is allocated:
/// a header that claims more data than <c>maxDataBytes</c>, or more than a raw file holds, is rejected without
/// allocating it, and a gzip file's buffer grows only as decompressed data actually arrives.
/// Stateless and thread-safe.
/// </summary>
public static partial class IdxReader
{
    /// <summary>The default limit on the data bytes of one file: 512 MiB (the Fashion-MNIST training images are 47 MB).</summary>
    public const long DefaultMaxDataBytes = 512L * 1024 * 1024;

    /// <summary>Reads an IDX file of any supported shape.</summary>
    /// <param name="path">The file; gzip-compressed or raw.</param>
    /// <param name="maxDataBytes">The largest data size accepted, in bytes.</param>
    /// <returns>The decoded file; the caller owns it.</returns>
    /// <exception cref="FedLearnFormatException">The file is not a supported IDX file, is truncated, has trailing bytes or exceeds the limit; the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxArray Read(string path, long maxDataBytes = DefaultMaxDataBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDataBytes);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        Span<byte> magic = stackalloc byte[2];
        int got = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        file.Position = 0;
        if (got == 2 && magic[0] == 0x1F && magic[1] == 0x8B)
        {
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            try
            {
                return Decode(gzip, path, availableBytes: null, maxDataBytes);
            }
            catch (InvalidDataException ex)
            {
                throw new FedLearnFormatException($"'{path}' is not a valid gzip file: {ex.Message}", ex);
            }
        }

        return Decode(file, path, file.Length, maxDataBytes);
    }

    /// <summary>Reads an images file: three dimensions (count, rows, columns).</summary>
    /// <param name="path">The file; gzip-compressed or raw.</param>
    /// <param name="maxDataBytes">The largest data size accepted, in bytes.</param>
    /// <returns>The decoded images; the caller owns them.</returns>
    /// <exception cref="FedLearnFormatException">The file is not a valid images file (for example a labels file); the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxArray ReadImages(string path, long maxDataBytes = DefaultMaxDataBytes)
    {
        IdxArray array = Read(path, maxDataBytes);
        if (array.Dimensions.Count != 3)
        {
            string hint = array.Dimensions.Count == 1 ? ", which looks like a labels file" : string.Empty;
            throw new FedLearnFormatException(
                $"'{path}' is not an images file: it holds {array.Dimensions.Count}-dimensional data {array.DimensionsText}{hint}; " +
                "an images file has 3 dimensions (count, rows, columns).");
        }

        return array;
    }

    /// <summary>Reads a labels file: one dimension (count).</summary>
    /// <param name="path">The file; gzip-compressed or raw.</param>
    /// <param name="maxDataBytes">The largest data size accepted, in bytes.</param>
    /// <returns>The decoded labels; the caller owns them.</returns>
    /// <exception cref="FedLearnFormatException">The file is not a valid labels file (for example an images file); the message names the file.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static IdxArray ReadLabels(string path, long maxDataBytes = DefaultMaxDataBytes)
    {
        IdxArray array = Read(path, maxDataBytes);
        if (array.Dimensions.Count != 1)
        {
            string hint = array.Dimensions.Count == 3 ? ", which looks like an images file" : string.Empty;
            throw new FedLearnFormatException(
                $"'{path}' is not a labels file: it holds {array.Dimensions.Count}-dimensional data {array.DimensionsText}{hint}; " +
                "a labels file has exactly 1 dimension.");
        }

        return array;
    }

    /// <summary>
    /// Reads an images file and its labels file into a dataset: features are pixel / 255 in [0, 1], row-major, with
    /// record shape [1, rows, columns].
    /// </summary>
    /// <param name="imagesPath">The images file.</param>
    /// <param name="labelsPath">The labels file.</param>
    /// <param name="classCount">Number of classes; every label must be below it.</param>
    /// <param name="maxDataBytes">The largest data size accepted per file, in bytes.</param>
    /// <returns>A new dataset the caller owns.</returns>
    /// <exception cref="FedLearnFormatException">A file is invalid, the counts differ, or a label is out of range.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    public static LabeledDataset ReadLabeledImages(string imagesPath, string labelsPath, int classCount, long maxDataBytes = DefaultMaxDataBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        IdxArray images = ReadImages(imagesPath, maxDataBytes);
        IdxArray labels = ReadLabels(labelsPath, maxDataBytes);
        if (images.Count != labels.Count)
        {
            throw new FedLearnFormatException(
                $"'{imagesPath}' holds {images.Count} images but '{labelsPath}' holds {labels.Count} labels; an images file and its labels file must hold the same count.");
        }

        int rows = images.Dimensions[1];
        int columns = images.Dimensions[2];
        if (rows == 0 || columns == 0)
        {
            throw new FedLearnFormatException($"'{imagesPath}' holds images of {rows}×{columns} pixels; an image needs at least one pixel.");
        }

        int[] labelValues = new int[labels.Count];
        for (int i = 0; i < labelValues.Length; i++)
        {
            int label = labels.Data[i];
            if (label >= classCount)
            {
                throw new FedLearnFormatException($"'{labelsPath}' gives record {i} the label {label}, outside [0, {classCount}).");
            }

            labelValues[i] = label;
        }

        float[] features = new float[images.Data.Length];
        TensorPrimitives.ConvertChecked<byte, float>(images.Data, features);
        TensorPrimitives.Divide(features, 255f, features);
        return new LabeledDataset(features, labelValues, rows * columns, classCount, [1, rows, columns]);
    }
}
