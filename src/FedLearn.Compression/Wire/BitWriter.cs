using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace FedLearn.Compression.Wire;

/// <summary>
/// Writes bit fields least-significant bit first into a caller-owned span whose size the caller computed exactly
/// beforehand. Not thread-safe; one writer per section.
/// </summary>
internal ref struct BitWriter
{
    private readonly Span<byte> _destination;
    private ulong _accumulator;
    private int _accumulatedBits;
    private int _position;

    /// <summary>Starts writing at the beginning of <paramref name="destination"/>.</summary>
    public BitWriter(Span<byte> destination)
    {
        _destination = destination;
    }

    /// <summary>Bytes the written bits occupy once flushed.</summary>
    public readonly int ByteCount => _position + ((_accumulatedBits + 7) >> 3);

    /// <summary>Appends the low <paramref name="bits"/> (0 to 32) of <paramref name="value"/>, whose higher bits must be zero.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Write(uint value, int bits)
    {
        // The accumulator holds fewer than 32 bits between calls, so 32 more always fit in 64.
        _accumulator |= (ulong)value << _accumulatedBits;
        _accumulatedBits += bits;
        if (_accumulatedBits >= 32)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(_destination[_position..], (uint)_accumulator);
            _position += 4;
            _accumulator >>= 32;
            _accumulatedBits -= 32;
        }
    }

    /// <summary>Appends <paramref name="zeros"/> zero bits and a terminating one bit (the unary part of a Rice code).</summary>
    public void WriteUnary(int zeros)
    {
        while (zeros >= 32)
        {
            Write(0, 32);
            zeros -= 32;
        }

        Write(1u << zeros, zeros + 1);
    }

    /// <summary>Writes out the pending partial bytes (zero-padded) and returns the section length in bytes.</summary>
    public int Flush()
    {
        while (_accumulatedBits > 0)
        {
            _destination[_position++] = (byte)_accumulator;
            _accumulator >>= 8;
            _accumulatedBits = Math.Max(0, _accumulatedBits - 8);
        }

        return _position;
    }
}
