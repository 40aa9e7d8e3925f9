using System.Numerics;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// How integers share one Paillier plaintext (BatchCrypt, Zhang et al., USENIX ATC 2020). Each slot holds a value in
/// [0, maxValue] (signs are handled by the fixed-point offset: the quantizer maps [−c, c] onto [0, q]); its width is the
/// bits of maxContributions·maxValue plus one guard bit, so sums of up to twice the capacity cannot carry into the next
/// slot. Slot 0 of every plaintext counts contributions (each encryption puts 1 there), so the decryptor reads the real
/// number of summands from the sum itself and detects an over-full sum.
/// </summary>
internal sealed class PackingLayout
{
    public PackingLayout(int keyBits, long maxValue, int maxContributions, bool pack)
    {
        MaxValue = maxValue;
        MaxContributions = maxContributions;
        SlotBits = (int)BigInteger.Multiply(maxContributions, maxValue).GetBitLength() + 1;
        // A plaintext must stay below n, which has keyBits bits: use keyBits − 1 bits.
        int slots = (keyBits - 1) / SlotBits;
        if (slots < 2)
        {
            throw new ArgumentException($"a {keyBits}-bit key cannot hold two {SlotBits}-bit slots.");
        }

        ValuesPerCiphertext = pack ? slots - 1 : 1;
    }

    public long MaxValue { get; }

    public int MaxContributions { get; }

    public int SlotBits { get; }

    public int ValuesPerCiphertext { get; }

    public int CiphertextsFor(int values) => (values + ValuesPerCiphertext - 1) / ValuesPerCiphertext;

    /// <summary>Plaintext <paramref name="index"/> of <paramref name="values"/>: the count slot 1, then the values.</summary>
    public BigInteger Pack(ReadOnlySpan<long> values, int index)
    {
        int start = index * ValuesPerCiphertext;
        int end = Math.Min(values.Length, start + ValuesPerCiphertext);

        // Slots are written as bit fields into a little-endian byte buffer: building the number by repeated
        // BigInteger shifts costs about 60 times more for a full 2048-bit plaintext.
        var bytes = new byte[(((end - start + 1) * SlotBits) + 7) / 8 + 16];
        WriteSlot(bytes, 0, 1);
        for (int i = start; i < end; i++)
        {
            long value = values[i];
            if (value < 0 || value > MaxValue)
            {
                throw new ArgumentOutOfRangeException(nameof(values), $"value {value} at {i} lies outside the slot range [0, {MaxValue}].");
            }

            WriteSlot(bytes, (i - start + 1) * SlotBits, (ulong)value);
        }

        return new BigInteger(bytes, isUnsigned: true, isBigEndian: false);
    }

    /// <summary>Reads plaintext <paramref name="index"/> of a sum back; returns its contribution count.</summary>
    public int Unpack(BigInteger plaintext, int index, Span<long> destination)
    {
        int start = index * ValuesPerCiphertext;
        int end = Math.Min(destination.Length, start + ValuesPerCiphertext);
        int usedBits = (end - start + 1) * SlotBits;
        if (plaintext.Sign < 0 || plaintext.GetBitLength() > usedBits)
        {
            throw new PaillierOverflowException($"plaintext {index} has bits above its last slot: a slot overflowed.");
        }

        var bytes = new byte[((usedBits + 7) / 8) + 16];
        plaintext.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        ulong count = ReadSlot(bytes, 0);
        if (count < 1 || count > (ulong)MaxContributions)
        {
            throw new PaillierOverflowException($"plaintext {index} counts {count} contributions; the padding allows 1 to {MaxContributions}.");
        }

        UInt128 bound = (UInt128)count * (ulong)MaxValue;
        for (int i = start; i < end; i++)
        {
            ulong slot = ReadSlot(bytes, (i - start + 1) * SlotBits);
            if (slot > bound)
            {
                throw new PaillierOverflowException($"slot {i} holds {slot}, more than {count} contributions of at most {MaxValue} can sum to: a slot overflowed.");
            }

            destination[i] = (long)slot;
        }

        return (int)count;
    }

    private static void WriteSlot(byte[] bytes, int bitOffset, ulong value)
    {
        Span<byte> window = bytes.AsSpan(bitOffset / 8, 16);
        UInt128 current = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(window);
        current |= (UInt128)value << (bitOffset % 8);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128LittleEndian(window, current);
    }

    private ulong ReadSlot(byte[] bytes, int bitOffset)
    {
        UInt128 window = System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(bytes.AsSpan(bitOffset / 8, 16));
        return (ulong)((window >> (bitOffset % 8)) & (((UInt128)1 << SlotBits) - 1));
    }
}
