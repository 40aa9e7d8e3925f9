using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace FedLearn.Privacy.SecureAggregation.Wire;

/// <summary>Little-endian writer for the secure-aggregation messages' bodies.</summary>
internal sealed class WireWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new();

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    public void Byte(byte value) => _buffer.Write([value]);

    public void Int32(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void Int64(long value)
    {
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
    }

    public void Double(double value) => Int64(BitConverter.DoubleToInt64Bits(value));

    public void Bytes(ReadOnlySpan<byte> value)
    {
        Int32(value.Length);
        _buffer.Write(value);
    }

    public void String(string value) => Bytes(Encoding.UTF8.GetBytes(value));

    public void BigInteger(BigInteger value) => Bytes(value.ToByteArray(isUnsigned: true, isBigEndian: false));

    /// <summary>Words of <paramref name="bytesPerWord"/> bytes each (the low bytes of each value).</summary>
    public void Words(ReadOnlySpan<uint> words, int bytesPerWord)
    {
        Int32(words.Length);
        Byte((byte)bytesPerWord);
        Span<byte> target = _buffer.GetSpan(words.Length * bytesPerWord);
        for (int i = 0; i < words.Length; i++)
        {
            uint word = words[i];
            for (int b = 0; b < bytesPerWord; b++)
            {
                target[(i * bytesPerWord) + b] = (byte)(word >> (8 * b));
            }
        }

        _buffer.Advance(words.Length * bytesPerWord);
    }
}
