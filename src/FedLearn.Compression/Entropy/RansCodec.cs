using System.Buffers;
using System.Buffers.Binary;

namespace FedLearn.Compression.Entropy;

/// <summary>
/// Range asymmetric numeral systems (Duda 2013, "Asymmetric numeral systems: entropy coding combining speed of
/// Huffman coding with compression rate of arithmetic coding") with a static model of up to 256 symbols, a 32-bit
/// state kept in [2^23, 2^31) and byte-wise renormalization. The coder spends within a fraction of a percent of the
/// empirical entropy plus the table. Symbols are encoded last to first so the decoder reads them first to last.
/// Section layout: the <see cref="FrequencyTable"/>, then the final encoder state (4 bytes, little-endian), then the
/// renormalization bytes. An empty symbol sequence is an empty section. Stateless and thread-safe.
/// </summary>
internal static class RansCodec
{
    private const uint Lower = 1u << 23;

    /// <summary>Upper bound of the encoded size of <paramref name="count"/> symbols of <paramref name="alphabetBits"/> bits.</summary>
    public static long MaxEncodedLength(int count, int alphabetBits) =>
        count == 0 ? 0 : FrequencyTable.MaxSerializedLength(1 << alphabetBits) + 4 + (2L * count) + 16;

    /// <summary>Encodes <paramref name="symbols"/> (each below 2^<paramref name="alphabetBits"/>, at most 8 bits); returns bytes written.</summary>
    public static int Encode(ReadOnlySpan<uint> symbols, int alphabetBits, Span<byte> destination)
    {
        if (symbols.IsEmpty)
        {
            return 0;
        }

        int alphabet = 1 << alphabetBits;
        Span<int> frequencies = stackalloc int[alphabet];
        Span<int> cumulative = stackalloc int[alphabet];
        FrequencyTable.Build(symbols, frequencies);
        int running = 0;
        for (int s = 0; s < alphabet; s++)
        {
            cumulative[s] = running;
            running += frequencies[s];
        }

        int tableLength = FrequencyTable.Write(frequencies, destination);
        int capacity = (2 * symbols.Length) + 16;
        byte[] rented = ArrayPool<byte>.Shared.Rent(capacity);
        try
        {
            Span<byte> buffer = rented.AsSpan(0, capacity);
            int position = capacity;
            uint x = Lower;
            for (int i = symbols.Length - 1; i >= 0; i--)
            {
                int s = (int)symbols[i];
                uint f = (uint)frequencies[s];
                uint limit = ((Lower >> FrequencyTable.ProbabilityBits) << 8) * f;
                while (x >= limit)
                {
                    buffer[--position] = (byte)x;
                    x >>= 8;
                }

                x = ((x / f) << FrequencyTable.ProbabilityBits) + (x % f) + (uint)cumulative[s];
            }

            position -= 4;
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[position..], x);
            ReadOnlySpan<byte> stream = buffer[position..];
            stream.CopyTo(destination[tableLength..]);
            return tableLength + stream.Length;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Decodes exactly <paramref name="symbols"/>.Length symbols; the section must hold nothing more.</summary>
    public static void Decode(ReadOnlySpan<byte> source, int alphabetBits, Span<uint> symbols)
    {
        if (symbols.IsEmpty)
        {
            if (!source.IsEmpty)
            {
                throw new FedLearnFormatException($"The value section holds {source.Length} bytes but no values are announced.");
            }

            return;
        }

        int alphabet = 1 << alphabetBits;
        Span<int> frequencies = stackalloc int[alphabet];
        Span<int> cumulative = stackalloc int[alphabet];
        int tableLength = FrequencyTable.Read(source, frequencies);
        Span<byte> slotSymbol = stackalloc byte[FrequencyTable.Total];
        int running = 0;
        for (int s = 0; s < alphabet; s++)
        {
            cumulative[s] = running;
            slotSymbol.Slice(running, frequencies[s]).Fill((byte)s);
            running += frequencies[s];
        }

        ReadOnlySpan<byte> stream = source[tableLength..];
        if (stream.Length < 4)
        {
            throw new FedLearnFormatException($"The value section's coded stream is {stream.Length} bytes, shorter than its 4-byte state.");
        }

        uint x = BinaryPrimitives.ReadUInt32LittleEndian(stream);
        if (x < Lower || x >= Lower << 8)
        {
            throw new FedLearnFormatException($"The value section's coder state 0x{x:X8} is outside the valid range.");
        }

        int position = 4;
        const uint slotMask = FrequencyTable.Total - 1;
        for (int i = 0; i < symbols.Length; i++)
        {
            uint slot = x & slotMask;
            int s = slotSymbol[(int)slot];
            x = ((uint)frequencies[s] * (x >> FrequencyTable.ProbabilityBits)) + slot - (uint)cumulative[s];
            while (x < Lower)
            {
                if (position >= stream.Length)
                {
                    throw new FedLearnFormatException($"The value section's coded stream ends after {i} of {symbols.Length} values.");
                }

                x = (x << 8) | stream[position++];
            }

            symbols[i] = (uint)s;
        }

        if (x != Lower || position != stream.Length)
        {
            throw new FedLearnFormatException("The value section's coded stream does not end where its values do: it is corrupted.");
        }
    }
}
