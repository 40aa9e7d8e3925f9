using System.Buffers.Binary;
using System.Numerics;

namespace FedLearn.Compression.Wire;

/// <summary>
/// Reads bit fields least-significant bit first from one payload section. Every read is checked against the section
/// length; reading past it throws <see cref="FedLearnFormatException"/> naming the section. Not thread-safe.
/// </summary>
internal ref struct BitReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly string _section;
    private readonly long _totalBits;
    private long _bitPosition;

    /// <summary>Reads <paramref name="data"/>; <paramref name="section"/> names it in error messages.</summary>
    public BitReader(ReadOnlySpan<byte> data, string section)
    {
        _data = data;
        _section = section;
        _totalBits = (long)data.Length * 8;
    }

    /// <summary>Reads <paramref name="data"/> from bit <paramref name="bitPosition"/> on (a decoder's slow path resuming its own fast loop).</summary>
    public BitReader(ReadOnlySpan<byte> data, string section, long bitPosition)
        : this(data, section)
    {
        _bitPosition = Math.Clamp(bitPosition, 0, _totalBits);
    }

    /// <summary>Bits read so far.</summary>
    public readonly long BitPosition => _bitPosition;

    /// <summary>Reads <paramref name="bits"/> (0 to 32) bits.</summary>
    public uint Read(int bits)
    {
        if (_bitPosition + bits > _totalBits)
        {
            throw Truncated();
        }

        ulong window = Peek();
        _bitPosition += bits;
        return (uint)(window & ((1UL << bits) - 1));
    }

    /// <summary>Reads zero bits up to and including a one bit and returns how many zeros there were.</summary>
    /// <param name="maxZeros">The longest run the format allows; a longer one is corruption.</param>
    public int ReadUnary(long maxZeros)
    {
        long zeros = 0;
        while (true)
        {
            long available = Math.Min(57, _totalBits - _bitPosition);
            if (available <= 0)
            {
                throw Truncated();
            }

            ulong window = Peek();
            int run = BitOperations.TrailingZeroCount(window);
            if (run < available)
            {
                zeros += run;
                _bitPosition += run + 1;
                return zeros <= maxZeros ? (int)zeros : throw TooLong(maxZeros);
            }

            zeros += available;
            _bitPosition += available;
            if (zeros > maxZeros)
            {
                throw TooLong(maxZeros);
            }
        }
    }

    /// <summary>Throws unless every byte of the section was used (a longer section is a lying length).</summary>
    public readonly void EnsureConsumed()
    {
        long usedBytes = (_bitPosition + 7) >> 3;
        if (usedBytes != _data.Length)
        {
            throw new FedLearnFormatException($"The {_section} section is {_data.Length} bytes but its content ends after {usedBytes}.");
        }
    }

    // At least 57 valid bits from the current position (fewer near the end, where missing bytes read as zero).
    private readonly ulong Peek()
    {
        int byteIndex = (int)(_bitPosition >> 3);
        int shift = (int)(_bitPosition & 7);
        ulong word;
        if (byteIndex + 8 <= _data.Length)
        {
            word = BinaryPrimitives.ReadUInt64LittleEndian(_data[byteIndex..]);
        }
        else
        {
            word = 0;
            for (int i = 0; byteIndex + i < _data.Length; i++)
            {
                word |= (ulong)_data[byteIndex + i] << (8 * i);
            }
        }

        return word >> shift;
    }

    private readonly FedLearnFormatException Truncated() =>
        new($"The {_section} section ends early: it has {_data.Length} bytes, too few for the values the header announces.");

    private readonly FedLearnFormatException TooLong(long maxZeros) => UnaryRunTooLong(_section, maxZeros);

    /// <summary>The error for a unary run longer than <paramref name="maxZeros"/>, shared with decoders that read runs themselves.</summary>
    public static FedLearnFormatException UnaryRunTooLong(string section, long maxZeros) =>
        new($"The {section} section holds a unary run longer than the {maxZeros} the element count allows.");
}
