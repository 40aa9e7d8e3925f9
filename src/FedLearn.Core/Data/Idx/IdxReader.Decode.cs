using System.Buffers.Binary;

namespace FedLearn.Data;

/// <content>Header parsing and bounded reading of the data.</content>
public static partial class IdxReader
{
    private const int MaxRank = 4;
    private const int InitialGzipBuffer = 1 << 20;
    private const int TrailingBytesCountedInGzip = 1 << 20;

    private static IdxArray Decode(Stream stream, string path, long? availableBytes, long maxDataBytes)
    {
        Span<byte> head = stackalloc byte[4];
        int got = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (got >= 2 && (head[0] != 0 || head[1] != 0))
        {
            throw new FedLearnFormatException(
                $"'{path}' is not an IDX file: it starts with 0x{head[0]:X2} 0x{head[1]:X2}, but an IDX file starts with two zero bytes.");
        }

        if (got < head.Length)
        {
            throw new FedLearnFormatException($"IDX file '{path}' ends after {got} of {head.Length} header bytes.");
        }

        if (head[2] != (byte)IdxElementType.UnsignedByte)
        {
            throw new FedLearnFormatException(
                $"IDX file '{path}' holds elements of type code 0x{head[2]:X2} ({DescribeType(head[2])}); only 0x08 (unsigned byte) is supported.");
        }

        int rank = head[3];
        if (rank is < 1 or > MaxRank)
        {
            throw new FedLearnFormatException($"IDX file '{path}' declares {rank} dimensions; 1 to {MaxRank} are supported.");
        }

        int headerLength = 4 + (4 * rank);
        Span<byte> sizeBytes = stackalloc byte[4 * MaxRank];
        sizeBytes = sizeBytes[..(4 * rank)];
        got = stream.ReadAtLeast(sizeBytes, sizeBytes.Length, throwOnEndOfStream: false);
        if (got < sizeBytes.Length)
        {
            throw new FedLearnFormatException($"IDX file '{path}' ends after {4 + got} of {headerLength} header bytes.");
        }

        int[] dimensions = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            dimensions[i] = BinaryPrimitives.ReadInt32BigEndian(sizeBytes[(4 * i)..]);
            if (dimensions[i] < 0)
            {
                throw new FedLearnFormatException(
                    $"IDX file '{path}' declares size {(uint)dimensions[i]} for dimension {i}, which is above {int.MaxValue}.");
            }
        }

        string dimensionsText = "[" + string.Join(", ", dimensions) + "]";
        long limit = Math.Min(maxDataBytes, Array.MaxLength);
        (long expected, bool complete) = DataLength(dimensions, limit);
        if (expected > limit)
        {
            throw new FedLearnFormatException(
                $"IDX file '{path}' declares dimensions {dimensionsText}, {(complete ? string.Empty : "at least ")}{expected} data bytes, more than the limit of {limit} bytes.");
        }

        if (availableBytes is long total)
        {
            // A raw file: its length says how much data there is, so check it before allocating anything.
            long present = total - headerLength;
            if (present < expected)
            {
                throw Truncated(path, present, expected, dimensionsText);
            }

            if (present > expected)
            {
                throw Oversized(path, expected, dimensionsText, present - expected, exact: true);
            }

            byte[] exact = new byte[expected];
            got = stream.ReadAtLeast(exact, exact.Length, throwOnEndOfStream: false);
            return got < exact.Length
                ? throw Truncated(path, got, expected, dimensionsText)
                : new IdxArray(dimensions, IdxElementType.UnsignedByte, exact);
        }

        byte[] data = ReadGrowing(stream, path, expected, dimensionsText);
        long trailing = CountTrailing(stream);
        if (trailing > 0)
        {
            throw Oversized(path, expected, dimensionsText, trailing, exact: trailing < TrailingBytesCountedInGzip);
        }

        return new IdxArray(dimensions, IdxElementType.UnsignedByte, data);
    }

    /// <summary>
    /// The product of the dimensions (<c>Complete</c> true), or a partial product that already exceeds
    /// <paramref name="limit"/> (<c>Complete</c> false), which keeps the arithmetic from overflowing.
    /// </summary>
    private static (long Product, bool Complete) DataLength(int[] dimensions, long limit)
    {
        if (Array.IndexOf(dimensions, 0) >= 0)
        {
            return (0, true);
        }

        long product = 1;
        for (int i = 0; i < dimensions.Length; i++)
        {
            // product <= limit < 2^31 and dimension < 2^31, so this cannot overflow.
            product *= dimensions[i];
            if (product > limit)
            {
                return (product, i == dimensions.Length - 1);
            }
        }

        return (product, true);
    }

    /// <summary>
    /// Reads exactly <paramref name="expected"/> bytes from a stream of unknown length, growing the buffer only as data
    /// arrives, so a header that lies about the count costs at most twice the bytes really present.
    /// </summary>
    private static byte[] ReadGrowing(Stream stream, string path, long expected, string dimensionsText)
    {
        byte[] data = new byte[Math.Min(expected, InitialGzipBuffer)];
        int filled = 0;
        while (filled < expected)
        {
            if (filled == data.Length)
            {
                Array.Resize(ref data, (int)Math.Min(expected, 2L * data.Length));
            }

            int read = stream.Read(data, filled, data.Length - filled);
            if (read == 0)
            {
                throw Truncated(path, filled, expected, dimensionsText);
            }

            filled += read;
        }

        return data;
    }

    private static long CountTrailing(Stream stream)
    {
        Span<byte> scratch = stackalloc byte[4096];
        long count = 0;
        while (count < TrailingBytesCountedInGzip)
        {
            int read = stream.Read(scratch);
            if (read == 0)
            {
                break;
            }

            count += read;
        }

        return count;
    }

    private static FedLearnFormatException Truncated(string path, long present, long expected, string dimensionsText) =>
        new($"IDX file '{path}' ends after {Math.Max(present, 0)} of {expected} data bytes: its header declares dimensions {dimensionsText}, so the file is truncated or its header claims more items than it holds.");

    private static FedLearnFormatException Oversized(string path, long expected, string dimensionsText, long extra, bool exact) =>
        new($"IDX file '{path}' is oversized: its header declares dimensions {dimensionsText}, {expected} data bytes, but {(exact ? string.Empty : "at least ")}{extra} more bytes follow.");

    private static string DescribeType(byte code) => code switch
    {
        (byte)IdxElementType.SignedByte => "signed byte",
        (byte)IdxElementType.Int16 => "16-bit integer",
        (byte)IdxElementType.Int32 => "32-bit integer",
        (byte)IdxElementType.Float32 => "32-bit float",
        (byte)IdxElementType.Float64 => "64-bit float",
        _ => "not an IDX type",
    };
}
