using System.Buffers.Binary;

namespace FedLearn.Compression.Wire;

/// <summary>Writes little-endian fields into a span sized beforehand by the encoder. Not thread-safe.</summary>
internal ref struct ByteWriter
{
    private readonly Span<byte> _destination;

    /// <summary>Writes into <paramref name="destination"/> from <paramref name="start"/>.</summary>
    public ByteWriter(Span<byte> destination, int start)
    {
        _destination = destination;
        Position = start;
    }

    /// <summary>The offset of the next byte.</summary>
    public int Position { get; private set; }

    /// <summary>Writes one byte.</summary>
    public void WriteByte(byte value) => _destination[Position++] = value;

    /// <summary>Writes an unsigned 16-bit integer.</summary>
    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(_destination[Position..], value);
        Position += 2;
    }

    /// <summary>Writes an unsigned 32-bit integer.</summary>
    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(_destination[Position..], value);
        Position += 4;
    }

    /// <summary>Writes a 32-bit float.</summary>
    public void WriteSingle(float value)
    {
        BinaryPrimitives.WriteSingleLittleEndian(_destination[Position..], value);
        Position += 4;
    }

    /// <summary>Writes a 64-bit float.</summary>
    public void WriteDouble(double value)
    {
        BinaryPrimitives.WriteDoubleLittleEndian(_destination[Position..], value);
        Position += 8;
    }

    /// <summary>The span after the current position, for a section written by another writer.</summary>
    public readonly Span<byte> Rest => _destination[Position..];

    /// <summary>Moves past <paramref name="count"/> bytes written through <see cref="Rest"/>.</summary>
    public void Advance(int count) => Position += count;
}
