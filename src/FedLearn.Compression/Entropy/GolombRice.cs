using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using FedLearn.Compression.Wire;

namespace FedLearn.Compression.Entropy;

/// <summary>
/// Golomb–Rice coding of sorted positions as gaps: gap g (the number of skipped positions) is sent as ⌊g/2^r⌋ zero
/// bits, a one bit, then the low r bits of g. For positions drawn at random with density ρ the gaps are nearly
/// geometric and the best r is about log2(ln 2 · mean gap) (Golomb 1966; Rice 1979), which costs within a few
/// percent of the binary entropy H(ρ)/ρ bits per position. The encoder evaluates the exact cost of the r next to
/// that estimate and keeps the cheapest. Stateless and thread-safe.
/// </summary>
internal static class GolombRice
{
    /// <summary>The largest parameter the format allows.</summary>
    public const int MaxParameter = 30;

    /// <summary>Picks the parameter for strictly ascending <paramref name="indices"/> and returns it with its exact cost in bits.</summary>
    public static int ChooseParameter(ReadOnlySpan<int> indices, out long bits)
    {
        if (indices.IsEmpty)
        {
            bits = 0;
            return 0;
        }

        double meanGap = (double)(indices[^1] + 1 - indices.Length) / indices.Length;
        int estimate = meanGap * Math.Log(2) > 1 ? (int)Math.Floor(Math.Log2(meanGap * Math.Log(2))) : 0;
        int first = Math.Max(0, estimate - 1);
        int last = Math.Min(MaxParameter, estimate + 1);

        // The costs of the (up to) three candidate parameters in one pass over the gaps.
        long sum0 = 0, sum1 = 0, sum2 = 0;
        int previous = -1;
        foreach (int index in indices)
        {
            ulong gap = (uint)(index - previous - 1);
            sum0 += (long)(gap >> first);
            sum1 += (long)(gap >> (first + 1));
            sum2 += (long)(gap >> (first + 2));
            previous = index;
        }

        ReadOnlySpan<long> quotients = [sum0, sum1, sum2];
        int best = -1;
        bits = long.MaxValue;
        for (int r = first; r <= last; r++)
        {
            long cost = ((long)indices.Length * (r + 1)) + quotients[r - first];
            if (cost < bits)
            {
                bits = cost;
                best = r;
            }
        }

        return best;
    }

    /// <summary>Exact bits to code <paramref name="indices"/> with parameter <paramref name="r"/>.</summary>
    public static long Cost(ReadOnlySpan<int> indices, int r)
    {
        long bits = (long)indices.Length * (r + 1);
        int previous = -1;
        foreach (int index in indices)
        {
            bits += (uint)(index - previous - 1) >> r;
            previous = index;
        }

        return bits;
    }

    /// <summary>
    /// Writes the code of <paramref name="indices"/> into <paramref name="destination"/> and returns the bytes used.
    /// Up to eight bytes of <paramref name="destination"/> after those may be overwritten (with zeros).
    /// </summary>
    public static int Encode(ReadOnlySpan<int> indices, int r, Span<byte> destination)
    {
        uint lowMask = (uint)((1UL << r) - 1);
        int previous = -1;
        int j = 0;

        // Fast loop while eight bytes of the destination remain: each code is one OR into a 64-bit accumulator, then
        // all eight bytes are stored and the position moves by the whole bytes written, with no branch on a flush.
        // Bits above the accumulated ones are zero, so the bytes stored ahead are zeros that later stores overwrite.
        ulong accumulator = 0;
        int pending = 0;
        int position = 0;
        if (BitConverter.IsLittleEndian)
        {
            ref byte target = ref MemoryMarshal.GetReference(destination);
            for (; j < indices.Length && position <= destination.Length - 8; j++)
            {
                uint gap = (uint)(indices[j] - previous - 1);
                int quotient = (int)(gap >> r);
                if (quotient + r >= 32)
                {
                    break;
                }

                accumulator |= (ulong)((1u << quotient) | ((gap & lowMask) << (quotient + 1))) << pending;
                pending += quotient + 1 + r;
                Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, position), accumulator);
                position += pending >> 3;
                accumulator >>= pending & ~7;
                pending &= 7;
                previous = indices[j];
            }
        }

        var writer = new BitWriter(destination[position..]);
        writer.Write((uint)accumulator, pending);
        for (; j < indices.Length; j++)
        {
            WriteCode(ref writer, (uint)(indices[j] - previous - 1), r);
            previous = indices[j];
        }

        return position + writer.Flush();
    }

    /// <summary>Writes the code of one gap with parameter <paramref name="r"/>.</summary>
    internal static void WriteCode(ref BitWriter writer, uint gap, int r)
    {
        uint low = gap & (uint)((1UL << r) - 1);
        int quotient = (int)(gap >> r);
        if (quotient + r < 32)
        {
            // The whole code in one write: quotient zeros, the one bit, then the low r bits.
            writer.Write((1u << quotient) | (low << (quotient + 1)), quotient + 1 + r);
        }
        else
        {
            writer.WriteUnary(quotient);
            writer.Write(low, r);
        }
    }

    /// <summary>
    /// Decodes <paramref name="destination"/>.Length positions, each checked to lie below <paramref name="elementCount"/>;
    /// the section must hold nothing after the last code.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> source, int r, int elementCount, Span<int> destination)
    {
        if (r > MaxParameter)
        {
            throw new FedLearnFormatException($"The Rice parameter is {r}; the format allows at most {MaxParameter}.");
        }

        // Each code takes at least r + 1 bits, so the section length bounds the count before any work is done.
        if ((long)destination.Length * (r + 1) > (long)source.Length * 8)
        {
            throw new FedLearnFormatException($"The index section has {source.Length} bytes, too few for {destination.Length} positions at Rice parameter {r}.");
        }

        long bitPosition = 0;
        long totalBits = (long)source.Length * 8;
        long previous = -1;
        ulong lowMask = (1UL << r) - 1;
        int j = 0;
        while (j < destination.Length)
        {
            // A 64-bit window at the bit position holds at least 57 valid bits (fewer at the end of the section, where
            // the missing bytes read as zero). Every code that lies wholly inside the valid bits is decoded from the
            // window with one trailing-zero count, without touching memory; the window then moves on.
            ulong window = Window(source, bitPosition);
            int valid = (int)Math.Min(57, totalBits - bitPosition);
            int used = 0;
            while (j < destination.Length)
            {
                int quotient = BitOperations.TrailingZeroCount(window);
                int length = quotient + 1 + r;
                if (used + length > valid)
                {
                    break;
                }

                long remaining = elementCount - previous - 1;
                if (quotient > remaining >> r)
                {
                    throw BitReader.UnaryRunTooLong("index", remaining >> r);
                }

                long index = previous + 1 + (((long)quotient << r) | (long)((window >> (quotient + 1)) & lowMask));
                if (index >= elementCount)
                {
                    throw Beyond(j, index, elementCount);
                }

                destination[j++] = (int)index;
                previous = index;
                window >>= length;
                used += length;
            }

            bitPosition += used;
            if (used == 0 && j < destination.Length)
            {
                // The next code is longer than a window (a long unary run) or runs past the end: the checked reader.
                var reader = new BitReader(source, "index", bitPosition);
                long remaining = elementCount - previous - 1;
                long quotient = reader.ReadUnary(remaining >> r);
                long index = previous + 1 + ((quotient << r) | reader.Read(r));
                if (index >= elementCount)
                {
                    throw Beyond(j, index, elementCount);
                }

                destination[j++] = (int)index;
                previous = index;
                bitPosition = reader.BitPosition;
            }
        }

        long usedBytes = (bitPosition + 7) >> 3;
        if (usedBytes != source.Length)
        {
            throw new FedLearnFormatException($"The index section is {source.Length} bytes but its content ends after {usedBytes}.");
        }
    }

    private static FedLearnFormatException Beyond(int j, long index, int elementCount) =>
        new($"Position {j} of the index section decodes to {index}, beyond the {elementCount} elements.");

    /// <summary>The little-endian 64 bits from <paramref name="bitPosition"/> on; bytes past the end read as zero.</summary>
    internal static ulong Window(ReadOnlySpan<byte> source, long bitPosition)
    {
        int byteIndex = (int)(bitPosition >> 3);
        int shift = (int)(bitPosition & 7);
        if (byteIndex + 8 <= source.Length)
        {
            return BinaryPrimitives.ReadUInt64LittleEndian(source[byteIndex..]) >> shift;
        }

        ulong word = 0;
        for (int i = 0; byteIndex + i < source.Length; i++)
        {
            word |= (ulong)source[byteIndex + i] << (8 * i);
        }

        return word >> shift;
    }
}
