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
        int best = -1;
        bits = long.MaxValue;
        for (int r = Math.Max(0, estimate - 1); r <= Math.Min(MaxParameter, estimate + 1); r++)
        {
            long cost = Cost(indices, r);
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

    /// <summary>Writes the code of <paramref name="indices"/> into <paramref name="destination"/> and returns the bytes used.</summary>
    public static int Encode(ReadOnlySpan<int> indices, int r, Span<byte> destination)
    {
        var writer = new BitWriter(destination);
        uint lowMask = (uint)((1UL << r) - 1);
        int previous = -1;
        foreach (int index in indices)
        {
            uint gap = (uint)(index - previous - 1);
            writer.WriteUnary((int)(gap >> r));
            writer.Write(gap & lowMask, r);
            previous = index;
        }

        return writer.Flush();
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

        var reader = new BitReader(source, "index");
        long previous = -1;
        for (int j = 0; j < destination.Length; j++)
        {
            long remaining = elementCount - previous - 1;
            long quotient = reader.ReadUnary(remaining >> r);
            long gap = (quotient << r) | reader.Read(r);
            long index = previous + 1 + gap;
            if (index >= elementCount)
            {
                throw new FedLearnFormatException($"Position {j} of the index section decodes to {index}, beyond the {elementCount} elements.");
            }

            destination[j] = (int)index;
            previous = index;
        }

        reader.EnsureConsumed();
    }
}
