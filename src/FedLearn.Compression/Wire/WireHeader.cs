using System.Buffers.Binary;

namespace FedLearn.Compression.Wire;

/// <summary>
/// The fixed 20-byte header every compressed payload starts with, all little-endian:
/// magic <c>FLCZ</c> (4 bytes), format version (2), codec chain id (2), element count (4), body length (4) and the
/// CRC-32C (4) of the first 16 header bytes followed by the body.
/// </summary>
internal static class WireHeader
{
    /// <summary>Header size in bytes.</summary>
    public const int Size = 20;

    /// <summary>The magic, the bytes <c>F L C Z</c> read as a little-endian integer.</summary>
    public const uint Magic = 0x5A434C46u;

    /// <summary>
    /// The format version this build writes. Version 3 adds two choices the encoder makes per payload: Rice-coded gaps
    /// with a parameter per block of positions (index coding byte 2), and plain packed codes in place of rANS when the
    /// rANS section, frequency table included, would not be smaller (a flag in the parameter block's former reserved
    /// field). This build also reads version 2, which is version 3 without either choice. Version 2 started the top-k
    /// index section with a coding byte (Rice-coded gaps or a bitmap, for every chain); version 1 packed indices raw
    /// unless the chain had entropy coding, and is rejected with a message saying so rather than read another layout.
    /// </summary>
    public const ushort Version = 3;

    /// <summary>The previous format version, still read: version 3 without per-block Rice parameters or value flags.</summary>
    public const ushort PreviousVersion = 2;

    /// <summary>The format version before the compact index section, named in the message that rejects it.</summary>
    public const ushort RawIndexVersion = 1;

    /// <summary>Fills the header of <paramref name="payload"/> whose body (after <see cref="Size"/>) is already written.</summary>
    public static void Write(Span<byte> payload, ushort chainId, int elementCount)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload, Magic);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[4..], Version);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[6..], chainId);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[8..], (uint)elementCount);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[12..], (uint)(payload.Length - Size));
        BinaryPrimitives.WriteUInt32LittleEndian(payload[16..], Checksum(payload));
    }

    /// <summary>The checksum a well-formed payload carries: CRC-32C over header bytes 0..16 and the body.</summary>
    public static uint Checksum(ReadOnlySpan<byte> payload)
    {
        uint state = Crc32C.Append(0xFFFFFFFFu, payload[..16]);
        return ~Crc32C.Append(state, payload[Size..]);
    }

    /// <summary>
    /// Checks the header in this order: size, magic, version, body length, element count (against the maximum and
    /// the destination), checksum, chain. Returns the body; <paramref name="version"/> is <see cref="Version"/> or
    /// <see cref="PreviousVersion"/>.
    /// </summary>
    public static ReadOnlySpan<byte> Read(ReadOnlySpan<byte> payload, int maxElementCount, int destinationLength, out ushort version, out ushort chainId, out int elementCount)
    {
        if (payload.Length < Size)
        {
            throw new FedLearnFormatException($"The payload is {payload.Length} bytes, shorter than the {Size}-byte header.");
        }

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(payload);
        if (magic != Magic)
        {
            throw new FedLearnFormatException($"The payload does not start with the FedLearn compression magic (found 0x{magic:X8}, expected 0x{Magic:X8}).");
        }

        version = BinaryPrimitives.ReadUInt16LittleEndian(payload[4..]);
        if (version == RawIndexVersion)
        {
            throw new FedLearnFormatException($"The payload has format version {version}, whose top-k index section (raw packed positions) this decoder no longer reads; it reads versions {PreviousVersion} and {Version}. Encode the update again with this version of FedLearn.Compression.");
        }

        if (version is not (Version or PreviousVersion))
        {
            throw new FedLearnFormatException($"The payload has format version {version}; this decoder reads versions {PreviousVersion} and {Version}.");
        }

        chainId = BinaryPrimitives.ReadUInt16LittleEndian(payload[6..]);
        uint count = BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        uint bodyLength = BinaryPrimitives.ReadUInt32LittleEndian(payload[12..]);
        if (bodyLength != (uint)(payload.Length - Size))
        {
            throw new FedLearnFormatException($"The header announces a {bodyLength}-byte body but {payload.Length - Size} bytes follow it (truncated or padded payload).");
        }

        if (count > (uint)maxElementCount)
        {
            throw new FedLearnFormatException($"The header announces {count} elements, more than the configured maximum of {maxElementCount}.");
        }

        if (count != (uint)destinationLength)
        {
            throw new FedLearnFormatException($"The payload holds {count} elements but the destination has {destinationLength}.");
        }

        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(payload[16..]);
        uint actual = Checksum(payload);
        if (stored != actual)
        {
            throw new FedLearnFormatException($"The payload checksum does not match (stored 0x{stored:X8}, computed 0x{actual:X8}): it was corrupted in transit.");
        }

        elementCount = (int)count;
        return payload[Size..];
    }
}
