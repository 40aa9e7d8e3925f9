using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using FedLearn.Compression.Wire;

namespace FedLearn.Compression.Entropy;

/// <summary>
/// Golomb–Rice coding of sorted positions as gaps with a parameter per block of <see cref="BlockLength"/> gaps, for
/// positions whose density changes along the vector. The kept positions of a real model update cluster: a layer whose
/// weights moved a lot holds many of them, close together, and a layer that barely moved holds few, far apart. One
/// parameter for the whole vector fits neither (on the CNN's top 0.1% it spends 11.9 bits per position where a
/// parameter per 16 positions spends 6.3). The first block's parameter travels in the payload's parameter block;
/// every later block starts with the change of parameter from the block before, zigzag-mapped (0, −1, +1, −2, … to
/// 0, 1, 2, 3, …) and sent in unary, which is one bit while the density holds still. Each block's parameter is the
/// cheapest of the three next to the estimate from its mean gap. Stateless and thread-safe.
/// </summary>
internal static class BlockRice
{
    /// <summary>Gaps per block: each block carries its own parameter.</summary>
    public const int BlockLength = 16;

    /// <summary>The zigzag code of the largest parameter change the format allows (from 0 to 30 or back).</summary>
    private const int MaxChangeCode = 2 * GolombRice.MaxParameter;

    private const double Ln2 = 0.6931471805599453;

    /// <summary>The exact cost in bits of coding <paramref name="indices"/> (strictly ascending), and the first block's parameter.</summary>
    public static long Cost(ReadOnlySpan<int> indices, out int firstParameter)
    {
        firstParameter = 0;
        long bits = 0;
        int previousParameter = 0;
        for (int start = 0; start < indices.Length; start += BlockLength)
        {
            int r = Choose(indices, start, Math.Min(BlockLength, indices.Length - start), out long blockBits);
            if (start == 0)
            {
                firstParameter = r;
            }
            else
            {
                bits += ChangeCode(r - previousParameter) + 1;
            }

            bits += blockBits;
            previousParameter = r;
        }

        return bits;
    }

    /// <summary>
    /// Writes the code of <paramref name="indices"/> into <paramref name="destination"/>, which must hold
    /// ⌈<see cref="Cost"/> / 8⌉ bytes, and returns the bytes used.
    /// </summary>
    public static int Encode(ReadOnlySpan<int> indices, Span<byte> destination)
    {
        var writer = new BitWriter(destination);
        int previousParameter = 0;
        int previousIndex = -1;
        for (int start = 0; start < indices.Length; start += BlockLength)
        {
            ReadOnlySpan<int> block = indices.Slice(start, Math.Min(BlockLength, indices.Length - start));
            int r = Choose(indices, start, block.Length, out _);
            if (start > 0)
            {
                writer.WriteUnary(ChangeCode(r - previousParameter));
            }

            foreach (int index in block)
            {
                GolombRice.WriteCode(ref writer, (uint)(index - previousIndex - 1), r);
                previousIndex = index;
            }

            previousParameter = r;
        }

        return writer.Flush();
    }

    /// <summary>
    /// Decodes <paramref name="destination"/>.Length positions, each checked to lie below <paramref name="elementCount"/>,
    /// starting with parameter <paramref name="firstParameter"/>; every parameter change is checked to stay within the
    /// format's range, and the section must hold nothing after the last code.
    /// </summary>
    public static void Decode(ReadOnlySpan<byte> source, int firstParameter, int elementCount, Span<int> destination)
    {
        if (firstParameter > GolombRice.MaxParameter)
        {
            throw new FedLearnFormatException($"The Rice parameter is {firstParameter}; the format allows at most {GolombRice.MaxParameter}.");
        }

        // Each code takes at least one bit, so the section length bounds the count before any work is done.
        if (destination.Length > (long)source.Length * 8)
        {
            throw new FedLearnFormatException($"The index section has {source.Length} bytes, too few for {destination.Length} positions.");
        }

        // As GolombRice.Decode: every change code and gap code that lies wholly inside the valid bits of a 64-bit window
        // is decoded from the window with one trailing-zero count; a code longer than a window, or one that runs past
        // the end of the section, goes to the checked reader.
        long bitPosition = 0;
        long totalBits = (long)source.Length * 8;
        long previous = -1;
        int r = firstParameter;
        int nextChange = BlockLength;
        int j = 0;
        while (j < destination.Length)
        {
            ulong window = GolombRice.Window(source, bitPosition);
            int valid = (int)Math.Min(57, totalBits - bitPosition);
            int used = 0;
            while (j < destination.Length)
            {
                int zeros = BitOperations.TrailingZeroCount(window);
                if (j == nextChange)
                {
                    if (used + zeros + 1 > valid)
                    {
                        break;
                    }

                    r = Changed(r, zeros, j);
                    nextChange += BlockLength;
                    window >>= zeros + 1;
                    used += zeros + 1;
                    continue;
                }

                int length = zeros + 1 + r;
                if (used + length > valid)
                {
                    break;
                }

                long remaining = elementCount - previous - 1;
                if (zeros > remaining >> r)
                {
                    throw BitReader.UnaryRunTooLong("index", remaining >> r);
                }

                long index = previous + 1 + (((long)zeros << r) | (long)((window >> (zeros + 1)) & ((1UL << r) - 1)));
                destination[j] = Checked(index, j, elementCount);
                previous = index;
                j++;
                window >>= length;
                used += length;
            }

            bitPosition += used;
            if (used == 0 && j < destination.Length)
            {
                var reader = new BitReader(source, "index", bitPosition);
                if (j == nextChange)
                {
                    r = Changed(r, reader.ReadUnary(MaxChangeCode), j);
                    nextChange += BlockLength;
                }
                else
                {
                    long remaining = elementCount - previous - 1;
                    long quotient = reader.ReadUnary(remaining >> r);
                    long index = previous + 1 + ((quotient << r) | reader.Read(r));
                    destination[j] = Checked(index, j, elementCount);
                    previous = index;
                    j++;
                }

                bitPosition = reader.BitPosition;
            }
        }

        long usedBytes = (bitPosition + 7) >> 3;
        if (usedBytes != source.Length)
        {
            throw new FedLearnFormatException($"The index section is {source.Length} bytes but its content ends after {usedBytes}.");
        }
    }

    // The parameter after a change code read at the start of the block holding position j, checked against the range.
    private static int Changed(int r, int code, int j)
    {
        int next = r + ((code & 1) == 0 ? code >> 1 : -((code + 1) >> 1));
        return next is >= 0 and <= GolombRice.MaxParameter
            ? next
            : throw new FedLearnFormatException($"Block {j / BlockLength} of the index section changes the Rice parameter from {r} to {next}; it must stay between 0 and {GolombRice.MaxParameter}.");
    }

    private static int Checked(long index, int j, int elementCount) =>
        index < elementCount
            ? (int)index
            : throw new FedLearnFormatException($"Position {j} of the index section decodes to {index}, beyond the {elementCount} elements.");

    // 0, −1, +1, −2, +2, … → 0, 1, 2, 3, 4, …
    private static int ChangeCode(int change) => change >= 0 ? 2 * change : (-2 * change) - 1;

    // The cheapest parameter of the three next to the estimate from the block's mean gap, with its exact cost. The block
    // is the count positions of indices from start; the gap before it is measured from the position before start.
    private static int Choose(ReadOnlySpan<int> indices, int start, int count, out long bits)
    {
        // ⌊log2(ln 2 · mean gap)⌋ without a logarithm per block: for x ≥ 1 it is the highest set bit of ⌊x⌋.
        int previousIndex = start == 0 ? -1 : indices[start - 1];
        long gapSum = (long)indices[start + count - 1] - previousIndex - count;
        ulong scaledMean = (ulong)(gapSum * Ln2 / count);
        int estimate = scaledMean > 1 ? BitOperations.Log2(scaledMean) : 0;
        int first = Math.Clamp(estimate - 1, 0, GolombRice.MaxParameter - 2);

        long sum0, sum1, sum2;
        if (Vector256.IsHardwareAccelerated && count == BlockLength && start > 0)
        {
            // Sixteen gaps as two vectors of eight: each position minus the one before it, minus one. No sum can
            // overflow: 2^first is within a factor of four of ln 2 · mean gap, so each sum is below 100 codes' worth.
            ref int origin = ref MemoryMarshal.GetReference(indices);
            Vector256<uint> low = (Vector256.LoadUnsafe(ref origin, (nuint)start) - Vector256.LoadUnsafe(ref origin, (nuint)(start - 1)) - Vector256<int>.One).AsUInt32();
            Vector256<uint> high = (Vector256.LoadUnsafe(ref origin, (nuint)(start + 8)) - Vector256.LoadUnsafe(ref origin, (nuint)(start + 7)) - Vector256<int>.One).AsUInt32();
            sum0 = Vector256.Sum(Vector256.ShiftRightLogical(low, first) + Vector256.ShiftRightLogical(high, first));
            sum1 = Vector256.Sum(Vector256.ShiftRightLogical(low, first + 1) + Vector256.ShiftRightLogical(high, first + 1));
            sum2 = Vector256.Sum(Vector256.ShiftRightLogical(low, first + 2) + Vector256.ShiftRightLogical(high, first + 2));
        }
        else
        {
            sum0 = sum1 = sum2 = 0;
            int previous = previousIndex;
            foreach (int index in indices.Slice(start, count))
            {
                uint gap = (uint)(index - previous - 1);
                sum0 += gap >> first;
                sum1 += gap >> (first + 1);
                sum2 += gap >> (first + 2);
                previous = index;
            }
        }

        int best = first;
        bits = sum0 + ((long)count * (first + 1));
        long cost1 = sum1 + ((long)count * (first + 2));
        if (cost1 < bits)
        {
            (best, bits) = (first + 1, cost1);
        }

        long cost2 = sum2 + ((long)count * (first + 3));
        if (cost2 < bits)
        {
            (best, bits) = (first + 2, cost2);
        }

        return best;
    }
}
