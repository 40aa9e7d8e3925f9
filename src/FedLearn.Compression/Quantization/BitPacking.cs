using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
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
        switch (bits)
        {
            case 8:
                // The common width: narrow 32 codes to 32 bytes at a time.
                int i = PackBytesVector(codes, destination);
                for (; i < codes.Length; i++)
                {
                    destination[i] = (byte)codes[i];
                }

                return codes.Length;
            case 1:
                return PackBits(codes, destination);
            case 4:
                return PackNibbles(codes, destination);
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

        switch (bits)
        {
            case 8:
                for (int i = UnpackBytesVector(source, codes); i < codes.Length; i++)
                {
                    codes[i] = source[i];
                }

                return;
            case 1:
                UnpackBits(source, codes);
                return;
            case 4:
                UnpackNibbles(source, codes);
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

    private static int PackBytesVector(ReadOnlySpan<uint> codes, Span<byte> destination)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref uint source = ref MemoryMarshal.GetReference(codes);
        ref byte target = ref MemoryMarshal.GetReference(destination);
        int i = 0;
        for (; i <= codes.Length - 32; i += 32)
        {
            Vector256<ushort> low = Vector256.Narrow(Vector256.LoadUnsafe(ref source, (nuint)i), Vector256.LoadUnsafe(ref source, (nuint)(i + 8)));
            Vector256<ushort> high = Vector256.Narrow(Vector256.LoadUnsafe(ref source, (nuint)(i + 16)), Vector256.LoadUnsafe(ref source, (nuint)(i + 24)));
            Vector256.Narrow(low, high).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int UnpackBytesVector(ReadOnlySpan<byte> source, Span<uint> codes)
    {
        if (!Vector256.IsHardwareAccelerated)
        {
            return 0;
        }

        ref byte from = ref MemoryMarshal.GetReference(source);
        ref uint target = ref MemoryMarshal.GetReference(codes);
        int i = 0;
        for (; i <= codes.Length - 32; i += 32)
        {
            (Vector256<ushort> low, Vector256<ushort> high) = Vector256.Widen(Vector256.LoadUnsafe(ref from, (nuint)i));
            (Vector256<uint> a, Vector256<uint> b) = Vector256.Widen(low);
            (Vector256<uint> c, Vector256<uint> d) = Vector256.Widen(high);
            a.StoreUnsafe(ref target, (nuint)i);
            b.StoreUnsafe(ref target, (nuint)(i + 8));
            c.StoreUnsafe(ref target, (nuint)(i + 16));
            d.StoreUnsafe(ref target, (nuint)(i + 24));
        }

        return i;
    }

    /// <summary>One bit per code, eight codes per byte, first code in the lowest bit.</summary>
    private static int PackBits(ReadOnlySpan<uint> codes, Span<byte> destination)
    {
        int i = 0, written = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Shifting each code's bit into the lane's top bit lets the mask extraction gather eight codes into one byte.
            ref uint source = ref MemoryMarshal.GetReference(codes);
            for (; i <= codes.Length - 8; i += 8)
            {
                destination[written++] = (byte)Vector256.ShiftLeft(Vector256.LoadUnsafe(ref source, (nuint)i), 31).ExtractMostSignificantBits();
            }
        }

        for (; i < codes.Length; i += 8)
        {
            int value = 0;
            for (int t = 0; t < 8 && i + t < codes.Length; t++)
            {
                value |= (int)(codes[i + t] & 1) << t;
            }

            destination[written++] = (byte)value;
        }

        return written;
    }

    private static void UnpackBits(ReadOnlySpan<byte> source, Span<uint> codes)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Broadcast the byte, keep lane t's bit t, and compare: one 8-code store per byte and no table.
            ref uint target = ref MemoryMarshal.GetReference(codes);
            Vector256<uint> lanes = Vector256.Create(1u, 2, 4, 8, 16, 32, 64, 128);
            for (; i <= codes.Length - 8; i += 8)
            {
                Vector256<uint> set = Vector256.Equals(Vector256.Create((uint)source[i >> 3]) & lanes, lanes);
                (set & Vector256<uint>.One).StoreUnsafe(ref target, (nuint)i);
            }
        }

        for (; i < codes.Length; i++)
        {
            codes[i] = (uint)(source[i >> 3] >> (i & 7)) & 1;
        }
    }

    /// <summary>Two 4-bit codes per byte, the first in the low nibble.</summary>
    private static int PackNibbles(ReadOnlySpan<uint> codes, Span<byte> destination)
    {
        int written = 0;
        int i = 0;
        for (; i + 1 < codes.Length; i += 2)
        {
            destination[written++] = (byte)(codes[i] | (codes[i + 1] << 4));
        }

        if (i < codes.Length)
        {
            destination[written++] = (byte)codes[i];
        }

        return written;
    }

    private static void UnpackNibbles(ReadOnlySpan<byte> source, Span<uint> codes)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Eight bytes widen to eight lanes; even codes are the low nibbles, odd codes the high ones, interleaved back.
            ref byte from = ref MemoryMarshal.GetReference(source);
            ref uint target = ref MemoryMarshal.GetReference(codes);
            Vector256<uint> nibble = Vector256.Create(15u);
            for (; i <= codes.Length - 16; i += 16)
            {
                // Exactly eight bytes are read, so the last block stays inside the section.
                Vector128<ushort> eight = Vector128.WidenLower(Vector128.CreateScalar(Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref from, i >> 1))).AsByte());
                Vector256<uint> bytes = Vector256.WidenLower(eight.ToVector256());
                Vector256<uint> low = bytes & nibble;
                Vector256<uint> high = Vector256.ShiftRightLogical(bytes, 4);
                Vector256<uint> first = Vector256.Shuffle(low, Vector256.Create(0u, 0, 1, 1, 2, 2, 3, 3));
                Vector256<uint> firstHigh = Vector256.Shuffle(high, Vector256.Create(0u, 0, 1, 1, 2, 2, 3, 3));
                Vector256<uint> second = Vector256.Shuffle(low, Vector256.Create(4u, 4, 5, 5, 6, 6, 7, 7));
                Vector256<uint> secondHigh = Vector256.Shuffle(high, Vector256.Create(4u, 4, 5, 5, 6, 6, 7, 7));
                Vector256<uint> even = Vector256.Create(uint.MaxValue, 0, uint.MaxValue, 0, uint.MaxValue, 0, uint.MaxValue, 0);
                Vector256.ConditionalSelect(even, first, firstHigh).StoreUnsafe(ref target, (nuint)i);
                Vector256.ConditionalSelect(even, second, secondHigh).StoreUnsafe(ref target, (nuint)(i + 8));
            }
        }

        for (; i < codes.Length; i++)
        {
            codes[i] = (uint)(source[i >> 1] >> ((i & 1) << 2)) & 15;
        }
    }
}
