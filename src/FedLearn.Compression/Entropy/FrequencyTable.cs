namespace FedLearn.Compression.Entropy;

/// <summary>
/// The static symbol model of the rANS coder: frequencies normalized to sum to 2^<see cref="ProbabilityBits"/>, every
/// symbol that occurs getting at least 1. On the wire: a presence bitmap of one bit per symbol of the alphabet, then
/// for each present symbol its frequency minus one as a little-endian base-128 varint (one or two bytes).
/// </summary>
internal static class FrequencyTable
{
    /// <summary>Precision of the model: frequencies sum to 4096.</summary>
    public const int ProbabilityBits = 12;

    /// <summary>The sum of all frequencies.</summary>
    public const int Total = 1 << ProbabilityBits;

    /// <summary>The largest alphabet the coder takes (8-bit symbols).</summary>
    public const int MaxAlphabet = 256;

    /// <summary>Upper bound of the serialized size.</summary>
    public static int MaxSerializedLength(int alphabet) => ((alphabet + 7) / 8) + (2 * alphabet);

    /// <summary>Counts <paramref name="symbols"/> (each below the alphabet size) and normalizes the counts into <paramref name="frequencies"/>.</summary>
    public static void Build(ReadOnlySpan<uint> symbols, Span<int> frequencies)
    {
        Span<long> counts = stackalloc long[frequencies.Length];
        counts.Clear();
        foreach (uint s in symbols)
        {
            counts[(int)s]++;
        }

        Normalize(counts, symbols.Length, frequencies);
    }

    /// <summary>Largest-remainder normalization to <see cref="Total"/>, with a floor of 1 for every present symbol.</summary>
    internal static void Normalize(ReadOnlySpan<long> counts, long total, Span<int> frequencies)
    {
        int alphabet = counts.Length;
        Span<double> remainders = stackalloc double[alphabet];
        int sum = 0;
        for (int s = 0; s < alphabet; s++)
        {
            double share = (double)counts[s] * Total / total;
            int f = counts[s] == 0 ? 0 : Math.Max(1, (int)share);
            frequencies[s] = f;
            remainders[s] = counts[s] == 0 ? double.NegativeInfinity : share - f;
            sum += f;
        }

        // Hand out what the floors left over to the largest remainders.
        while (sum < Total)
        {
            int best = 0;
            for (int s = 1; s < alphabet; s++)
            {
                if (remainders[s] > remainders[best])
                {
                    best = s;
                }
            }

            frequencies[best]++;
            remainders[best] -= 1;
            sum++;
        }

        // Take back what the floor of 1 added, from the symbols that can best afford it.
        while (sum > Total)
        {
            int best = -1;
            for (int s = 0; s < alphabet; s++)
            {
                if (frequencies[s] > 1 && (best < 0 || remainders[s] < remainders[best] || (remainders[s] == remainders[best] && frequencies[s] > frequencies[best])))
                {
                    best = s;
                }
            }

            frequencies[best]--;
            remainders[best] += 1;
            sum--;
        }
    }

    /// <summary>Serializes <paramref name="frequencies"/>; returns bytes written.</summary>
    public static int Write(ReadOnlySpan<int> frequencies, Span<byte> destination)
    {
        int bitmapBytes = (frequencies.Length + 7) / 8;
        destination[..bitmapBytes].Clear();
        int position = bitmapBytes;
        for (int s = 0; s < frequencies.Length; s++)
        {
            if (frequencies[s] == 0)
            {
                continue;
            }

            destination[s >> 3] |= (byte)(1 << (s & 7));
            int value = frequencies[s] - 1;
            if (value < 0x80)
            {
                destination[position++] = (byte)value;
            }
            else
            {
                destination[position++] = (byte)(0x80 | (value & 0x7F));
                destination[position++] = (byte)(value >> 7);
            }
        }

        return position;
    }

    /// <summary>Reads a table for an alphabet of <paramref name="frequencies"/>.Length symbols; returns bytes consumed.</summary>
    public static int Read(ReadOnlySpan<byte> source, Span<int> frequencies)
    {
        int bitmapBytes = (frequencies.Length + 7) / 8;
        if (source.Length < bitmapBytes)
        {
            throw new FedLearnFormatException($"The value section is {source.Length} bytes, too short for the {bitmapBytes}-byte symbol bitmap.");
        }

        int position = bitmapBytes;
        int sum = 0;
        for (int s = 0; s < frequencies.Length; s++)
        {
            if ((source[s >> 3] & (1 << (s & 7))) == 0)
            {
                frequencies[s] = 0;
                continue;
            }

            if (position >= source.Length)
            {
                throw new FedLearnFormatException("The value section ends inside its frequency table.");
            }

            int value = source[position++];
            if ((value & 0x80) != 0)
            {
                if (position >= source.Length)
                {
                    throw new FedLearnFormatException("The value section ends inside its frequency table.");
                }

                value = (value & 0x7F) | (source[position++] << 7);
            }

            if (value >= Total)
            {
                throw new FedLearnFormatException($"Symbol {s} has frequency {value + 1}, above the model total {Total}.");
            }

            frequencies[s] = value + 1;
            sum += value + 1;
        }

        // Unused high bits of the bitmap must be clear, or two encodings would mean the same table.
        for (int s = frequencies.Length; s < bitmapBytes * 8; s++)
        {
            if ((source[s >> 3] & (1 << (s & 7))) != 0)
            {
                throw new FedLearnFormatException($"The symbol bitmap marks symbol {s}, outside the {frequencies.Length}-symbol alphabet.");
            }
        }

        if (sum != Total)
        {
            throw new FedLearnFormatException($"The frequency table sums to {sum}; it must sum to {Total}.");
        }

        return position;
    }
}
