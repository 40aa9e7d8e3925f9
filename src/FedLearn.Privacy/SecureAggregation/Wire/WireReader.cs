using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace FedLearn.Privacy.SecureAggregation.Wire;

/// <summary>
/// Little-endian reader that checks every length against the bytes that remain before allocating anything; any
/// shortfall or inconsistency throws <see cref="FedLearnFormatException"/> naming the field.
/// </summary>
internal ref struct WireReader
{
    private ReadOnlySpan<byte> _rest;

    public WireReader(ReadOnlySpan<byte> body) => _rest = body;

    public readonly int Remaining => _rest.Length;

    public byte Byte(string field) => Take(1, field)[0];

    public int Int32(string field) => BinaryPrimitives.ReadInt32LittleEndian(Take(4, field));

    public long Int64(string field) => BinaryPrimitives.ReadInt64LittleEndian(Take(8, field));

    public ulong UInt64(string field) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, field));

    public double Double(string field) => BitConverter.Int64BitsToDouble(Int64(field));

    /// <summary>A count of items that take at least <paramref name="minimumItemBytes"/> each; checked against what remains.</summary>
    public int Count(string field, int minimumItemBytes, int maximum = int.MaxValue)
    {
        int count = Int32(field);
        if (count < 0 || count > maximum || (long)count * minimumItemBytes > _rest.Length)
        {
            throw new FedLearnFormatException($"{field}: count {count} does not fit the {_rest.Length} bytes left (at least {minimumItemBytes} bytes each, at most {maximum}).");
        }

        return count;
    }

    public byte[] Bytes(string field, int maximum)
    {
        int length = Count(field, 1, maximum);
        return Take(length, field).ToArray();
    }

    public string String(string field, int maximum = 256) => Encoding.UTF8.GetString(Take(Count(field, 1, maximum), field));

    public BigInteger BigInteger(string field, int maximumBytes) => new(Take(Count(field, 1, maximumBytes), field), isUnsigned: true, isBigEndian: false);

    public uint[] Words(string field, out int bytesPerWord)
    {
        int count = Int32(field);
        bytesPerWord = Byte(field + " word size");
        if (bytesPerWord is < 1 or > 4 || count < 0 || (long)count * bytesPerWord > _rest.Length)
        {
            throw new FedLearnFormatException($"{field}: {count} words of {bytesPerWord} bytes do not fit the {_rest.Length} bytes left.");
        }

        ReadOnlySpan<byte> source = Take(count * bytesPerWord, field);
        var words = new uint[count];
        for (int i = 0; i < count; i++)
        {
            uint word = 0;
            for (int b = bytesPerWord - 1; b >= 0; b--)
            {
                word = (word << 8) | source[(i * bytesPerWord) + b];
            }

            words[i] = word;
        }

        return words;
    }

    public readonly void End(string kind)
    {
        if (_rest.Length != 0)
        {
            throw new FedLearnFormatException($"{kind}: {_rest.Length} bytes left over after the message.");
        }
    }

    private ReadOnlySpan<byte> Take(int count, string field)
    {
        if (count > _rest.Length)
        {
            throw new FedLearnFormatException($"{field}: needs {count} bytes but only {_rest.Length} are left (truncated).");
        }

        ReadOnlySpan<byte> taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
