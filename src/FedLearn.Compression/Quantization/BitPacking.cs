using System.Buffers.Binary;
using FedLearn.Compression.Wire;

namespace FedLearn.Compression.Quantization;

/// <summary>Dense packing of b-bit codes, least-significant bit first, with no padding between codes.</summary>
internal static class BitPacking
{
    /// <summary>Bytes needed for <paramref name="count"/> codes of <paramref name="bits"/> bits.</summary>
    public static long PackedLength(long count, int bits) => ((count * bits) + 7) >> 3;

    /// <summary>Packs <paramref name="codes"/> (each below 2^<paramref name="bits"/>) into <paramref name="destination"/>; returns bytes written.</summary>
    public static int Pack(ReadOnlySpan<uint> codes, int bits, Span<byte> destination)
    {
        if (bits == 8)
        {
            // The common width gets a byte-per-code loop with no shifting.
            for (int i = 0; i < codes.Length; i++)
            {
                destination[i] = (byte)codes[i];
            }

            return codes.Length;
        }

        var writer = new BitWriter(destination);
        foreach (uint code in codes)
        {
            writer.Write(code, bits);
        }

        return writer.Flush();
    }

    /// <summary>Unpacks exactly <paramref name="codes"/>.Length codes; the section must be exactly as long as they need.</summary>
    public static void Unpack(ReadOnlySpan<byte> source, int bits, Span<uint> codes, string section)
    {
        long expected = PackedLength(codes.Length, bits);
        if (source.Length != expected)
        {
            throw new FedLearnFormatException($"The {section} section is {source.Length} bytes but {codes.Length} values of {bits} bits need {expected}.");
        }

        if (bits == 8)
        {
            for (int i = 0; i < codes.Length; i++)
            {
                codes[i] = source[i];
            }

            return;
        }

        // The length was checked above, so the loop needs no per-code bounds test: it refills a 64-bit buffer
        // 32 bits at a time while four bytes remain and byte by byte at the tail.
        ulong buffer = 0;
        int available = 0;
        int position = 0;
        ulong mask = (1UL << bits) - 1;
        for (int i = 0; i < codes.Length; i++)
        {
            if (available < bits)
            {
                if (position + 4 <= source.Length)
                {
                    buffer |= (ulong)BinaryPrimitives.ReadUInt32LittleEndian(source[position..]) << available;
                    position += 4;
                    available += 32;
                }
                else
                {
                    while (available < bits)
                    {
                        buffer |= (ulong)source[position++] << available;
                        available += 8;
                    }
                }
            }

            codes[i] = (uint)(buffer & mask);
            buffer >>= bits;
            available -= bits;
        }
    }
}
