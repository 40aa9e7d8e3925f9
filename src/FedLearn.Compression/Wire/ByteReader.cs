using System.Buffers.Binary;

namespace FedLearn.Compression.Wire;

/// <summary>
/// Reads little-endian fixed-size fields and length-prefixed sections from a payload body, checking each read
/// against what is left so a lying length throws <see cref="FedLearnFormatException"/> instead of reading past the end.
/// </summary>
internal ref struct ByteReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    /// <summary>Reads <paramref name="data"/> from its start.</summary>
    public ByteReader(ReadOnlySpan<byte> data)
    {
        _data = data;
    }

    /// <summary>Bytes not yet read.</summary>
    public readonly int Remaining => _data.Length - _position;

    /// <summary>Reads one byte.</summary>
    public byte ReadByte(string field) => Take(1, field)[0];

    /// <summary>Reads an unsigned 16-bit integer.</summary>
    public ushort ReadUInt16(string field) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, field));

    /// <summary>Reads an unsigned 32-bit integer.</summary>
    public uint ReadUInt32(string field) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, field));

    /// <summary>Reads a 32-bit float.</summary>
    public float ReadSingle(string field) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, field));

    /// <summary>Reads a 64-bit float.</summary>
    public double ReadDouble(string field) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, field));

    /// <summary>Reads a section: a 32-bit length, then that many bytes, which must all be present.</summary>
    public ReadOnlySpan<byte> ReadSection(string section)
    {
        uint length = ReadUInt32(section + " section length");
        if (length > (uint)Remaining)
        {
            throw new FedLearnFormatException($"The {section} section claims {length} bytes but only {Remaining} remain in the payload.");
        }

        return Take((int)length, section);
    }

    /// <summary>Throws unless everything was read.</summary>
    public readonly void EnsureConsumed()
    {
        if (Remaining != 0)
        {
            throw new FedLearnFormatException($"The payload has {Remaining} unexpected bytes after its last section.");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > Remaining)
        {
            throw new FedLearnFormatException($"The payload ends inside the {field} (needs {count} bytes, {Remaining} remain).");
        }

        ReadOnlySpan<byte> slice = _data.Slice(_position, count);
        _position += count;
        return slice;
    }
}
