using System.Buffers.Binary;
using System.Runtime.InteropServices;
using ArmCrc32 = System.Runtime.Intrinsics.Arm.Crc32;
using X86Sse42 = System.Runtime.Intrinsics.X86.Sse42;

namespace FedLearn.Compression.Wire;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, initial value and final xor 0xFFFFFFFF), the checksum of
/// every compressed payload. System.IO.Hashing 10.0.15 ships CRC-32 (IEEE) and CRC-64 but no CRC-32C, so this type
/// computes it with the SSE4.2 or ARMv8 CRC instructions and falls back to a table when neither is present.
/// Thread-safe (stateless).
/// </summary>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78u;

    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>Continues a raw (not yet inverted) CRC state over <paramref name="data"/>; start from 0xFFFFFFFF and invert the end.</summary>
    public static uint Append(uint state, ReadOnlySpan<byte> data)
    {
        if (X86Sse42.X64.IsSupported)
        {
            return AppendSse42(state, data);
        }

        if (ArmCrc32.Arm64.IsSupported)
        {
            return AppendArm(state, data);
        }

        return AppendSoftware(state, data);
    }

    /// <summary>The table-driven path; public to the assembly so tests can check it against the hardware path.</summary>
    internal static uint AppendSoftware(uint state, ReadOnlySpan<byte> data)
    {
        uint[] table = Table;
        foreach (byte b in data)
        {
            state = table[(byte)(state ^ b)] ^ (state >> 8);
        }

        return state;
    }

    private static uint AppendSse42(uint state, ReadOnlySpan<byte> data)
    {
        ulong crc = state;
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in words)
        {
            crc = X86Sse42.X64.Crc32(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        }

        uint result = (uint)crc;
        foreach (byte b in data[(words.Length * sizeof(ulong))..])
        {
            result = X86Sse42.Crc32(result, b);
        }

        return result;
    }

    private static uint AppendArm(uint state, ReadOnlySpan<byte> data)
    {
        ReadOnlySpan<ulong> words = MemoryMarshal.Cast<byte, ulong>(data);
        foreach (ulong word in words)
        {
            state = ArmCrc32.Arm64.ComputeCrc32C(state, word);
        }

        foreach (byte b in data[(words.Length * sizeof(ulong))..])
        {
            state = ArmCrc32.ComputeCrc32C(state, b);
        }

        return state;
    }

    private static uint[] BuildTable()
    {
        uint[] table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int bit = 0; bit < 8; bit++)
            {
                c = (c & 1) != 0 ? (c >> 1) ^ ReflectedPolynomial : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
