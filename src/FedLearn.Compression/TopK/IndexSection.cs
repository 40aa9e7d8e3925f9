using System.Buffers.Binary;
using System.Numerics;
using FedLearn.Compression.Entropy;

namespace FedLearn.Compression.TopK;

/// <summary>
/// The index section of a top-k payload: one coding byte (<see cref="IndexCoding"/>), then the Golomb–Rice code of the
/// gaps between the ascending kept positions with one parameter, the same with a parameter per block of
/// <see cref="BlockRice.BlockLength"/> gaps, or a bitmap of ⌈n/8⌉ bytes. The encoder takes whichever is fewest bytes:
/// the bitmap on a tie, one parameter on a tie between the gap codes. At density ρ the gaps cost about
/// H(ρ)/ρ bits per kept position (4.7 at 10%, 8.1 at 1%) against 1/ρ for the bitmap, so sparse selections use gaps.
/// Positions spread at random code best with one parameter (a parameter per block spends about 0.05 bits per
/// position more); the clustered positions of real model updates code far better with blocks. The bitmap is never
/// fewer bits than the best single-parameter code (with parameter 0 the gap code is the bitmap cut after the last kept
/// position), so it is chosen only when dense selections reach the end of the vector and both round to the same
/// bytes; it then decodes a 64-bit word at a time instead of one unary run per position. Stateless and thread-safe;
/// buffers belong to the caller.
/// </summary>
internal static class IndexSection
{
    /// <summary>Chooses the coding for strictly ascending <paramref name="indices"/> below <paramref name="elementCount"/>.</summary>
    public static IndexSectionPlan Plan(ReadOnlySpan<int> indices, int elementCount)
    {
        int rice = GolombRice.ChooseParameter(indices, out long bits);
        long gapBytes = (bits + 7) / 8;
        long blockBytes = (BlockRice.Cost(indices, out int firstRice) + 7) / 8;
        long bitmapBytes = BitmapLength(elementCount);
        if (bitmapBytes <= Math.Min(gapBytes, blockBytes))
        {
            return new IndexSectionPlan(IndexCoding.Bitmap, 0, 1 + bitmapBytes);
        }

        return blockBytes < gapBytes
            ? new IndexSectionPlan(IndexCoding.BlockRiceGaps, firstRice, 1 + blockBytes)
            : new IndexSectionPlan(IndexCoding.RiceGaps, rice, 1 + gapBytes);
    }

    /// <summary>
    /// Writes the section for <paramref name="indices"/> as <paramref name="plan"/> says into
    /// <paramref name="destination"/>, which must hold <see cref="IndexSectionPlan.Length"/> bytes, and returns that length.
    /// </summary>
    public static int Encode(ReadOnlySpan<int> indices, int elementCount, IndexSectionPlan plan, Span<byte> destination)
    {
        destination[0] = (byte)plan.Coding;
        if (plan.Coding == IndexCoding.RiceGaps)
        {
            return 1 + GolombRice.Encode(indices, plan.RiceParameter, destination[1..]);
        }

        if (plan.Coding == IndexCoding.BlockRiceGaps)
        {
            return 1 + BlockRice.Encode(indices, destination[1..]);
        }

        int length = (int)BitmapLength(elementCount);
        Span<byte> bitmap = destination.Slice(1, length);
        bitmap.Clear();
        foreach (int index in indices)
        {
            bitmap[index >> 3] |= (byte)(1 << (index & 7));
        }

        return 1 + length;
    }

    /// <summary>
    /// Checks what can be checked without decoding: the coding byte, the Rice parameter against the coding, and the
    /// section length against <paramref name="keptCount"/> and <paramref name="elementCount"/>. Called before any
    /// scratch is rented. Per-block parameters (<see cref="IndexCoding.BlockRiceGaps"/>) exist from format version 3
    /// on; <paramref name="allowBlocks"/> is false for older payloads.
    /// </summary>
    public static IndexCoding CheckLayout(ReadOnlySpan<byte> section, int riceParameter, int keptCount, int elementCount, bool allowBlocks = true)
    {
        if (section.IsEmpty)
        {
            throw new FedLearnFormatException("The index section is empty; it must start with its coding byte.");
        }

        var coding = (IndexCoding)section[0];
        switch (coding)
        {
            case IndexCoding.Bitmap:
                if (riceParameter != 0)
                {
                    throw new FedLearnFormatException($"The Rice parameter is {riceParameter} but the index section is a bitmap; it must be zero.");
                }

                long expected = 1 + BitmapLength(elementCount);
                if (section.Length != expected)
                {
                    throw new FedLearnFormatException($"The index section is a bitmap of {section.Length} bytes but {elementCount} elements need exactly {expected} (coding byte included).");
                }

                break;
            case IndexCoding.RiceGaps:
                if (riceParameter > GolombRice.MaxParameter)
                {
                    throw new FedLearnFormatException($"The Rice parameter is {riceParameter}; the format allows at most {GolombRice.MaxParameter}.");
                }

                // Each code takes at least r + 1 bits, so the section length bounds the kept count.
                if ((long)keptCount * (riceParameter + 1) > (section.Length - 1L) * 8)
                {
                    throw new FedLearnFormatException($"The index section has {section.Length - 1} bytes of gap code, too few for {keptCount} positions at Rice parameter {riceParameter}.");
                }

                break;
            case IndexCoding.BlockRiceGaps when allowBlocks:
                if (riceParameter > GolombRice.MaxParameter)
                {
                    throw new FedLearnFormatException($"The first block's Rice parameter is {riceParameter}; the format allows at most {GolombRice.MaxParameter}.");
                }

                // Each code takes at least one bit.
                if (keptCount > (section.Length - 1L) * 8)
                {
                    throw new FedLearnFormatException($"The index section has {section.Length - 1} bytes of block gap code, too few for {keptCount} positions.");
                }

                break;
            case IndexCoding.BlockRiceGaps:
                throw new FedLearnFormatException("The index section has coding byte 2 (Rice-coded gaps in blocks), which format version 2 does not have; only version 3 payloads may use it.");
            default:
                throw new FedLearnFormatException($"The index section has coding byte {section[0]}; this decoder knows 0 (Rice-coded gaps), 1 (bitmap) and 2 (Rice-coded gaps in blocks).");
        }

        return coding;
    }

    /// <summary>
    /// Decodes <paramref name="destination"/>.Length strictly ascending positions below <paramref name="elementCount"/>
    /// from a section that passed <see cref="CheckLayout"/>. A bitmap must have exactly that many bits set and no bit
    /// at or beyond <paramref name="elementCount"/>.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> section, int riceParameter, int elementCount, Span<int> destination, bool allowBlocks = true)
    {
        IndexCoding coding = CheckLayout(section, riceParameter, destination.Length, elementCount, allowBlocks);
        if (coding == IndexCoding.RiceGaps)
        {
            GolombRice.Decode(section[1..], riceParameter, elementCount, destination);
            return;
        }

        if (coding == IndexCoding.BlockRiceGaps)
        {
            BlockRice.Decode(section[1..], riceParameter, elementCount, destination);
            return;
        }

        DecodeBitmap(section[1..], elementCount, destination);
    }

    private static void DecodeBitmap(ReadOnlySpan<byte> bitmap, int elementCount, Span<int> destination)
    {
        int tailBits = elementCount & 7;
        if (tailBits != 0 && (bitmap[^1] >> tailBits) != 0)
        {
            throw new FedLearnFormatException($"The index bitmap sets a bit at or beyond element {elementCount}; the padding bits must be zero.");
        }

        // Count first, so a bitmap that lies about the kept count is rejected before any position is written.
        long count = 0;
        int wholeWords = bitmap.Length / 8;
        for (int w = 0; w < wholeWords; w++)
        {
            count += BitOperations.PopCount(BinaryPrimitives.ReadUInt64LittleEndian(bitmap[(8 * w)..]));
        }

        for (int i = 8 * wholeWords; i < bitmap.Length; i++)
        {
            count += BitOperations.PopCount(bitmap[i]);
        }

        if (count != destination.Length)
        {
            throw new FedLearnFormatException($"The index bitmap sets {count} bits but the payload keeps {destination.Length} values.");
        }

        int j = 0;
        for (int w = 0; w < wholeWords; w++)
        {
            j = Extract(BinaryPrimitives.ReadUInt64LittleEndian(bitmap[(8 * w)..]), 64 * w, destination, j);
        }

        for (int i = 8 * wholeWords; i < bitmap.Length; i++)
        {
            j = Extract(bitmap[i], 8 * i, destination, j);
        }
    }

    private static int Extract(ulong word, int offset, Span<int> destination, int j)
    {
        while (word != 0)
        {
            destination[j++] = offset + BitOperations.TrailingZeroCount(word);
            word &= word - 1;
        }

        return j;
    }

    private static long BitmapLength(int elementCount) => ((long)elementCount + 7) / 8;
}
