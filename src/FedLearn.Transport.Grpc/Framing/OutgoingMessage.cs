using FedLearn.Transport.Grpc.Protocol;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// A message ready to go on the wire: its start frame (header, body length, checksum) and its body, which is either
/// a float buffer sent as little-endian bytes (weights, dense updates) or a byte buffer. The body is borrowed, not
/// copied: the same global weights go to every client without a per-client copy.
/// </summary>
internal sealed class OutgoingMessage
{
    private OutgoingMessage(MessageStart start, float[]? floats, ReadOnlyMemory<byte> bytes)
    {
        Start = start;
        Floats = floats;
        Bytes = bytes;
        Start.BodyLength = floats is not null ? (long)floats.Length * sizeof(float) : bytes.Length;
        Start.BodyXxhash3 = floats is not null ? BodyChecksum.OfFloats(floats) : BodyChecksum.Of(bytes.Span);
    }

    /// <summary>The start frame; <see cref="MessageStart.ExchangeId"/> is set by the sender.</summary>
    public MessageStart Start { get; }

    /// <summary>The body as floats, or <see langword="null"/> when it is <see cref="Bytes"/>.</summary>
    public float[]? Floats { get; }

    /// <summary>The body as bytes when <see cref="Floats"/> is <see langword="null"/>.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Body length in bytes.</summary>
    public long BodyLength => Start.BodyLength;

    public static OutgoingMessage WithFloats(MessageStart start, float[] floats) => new(start, floats, ReadOnlyMemory<byte>.Empty);

    public static OutgoingMessage WithBytes(MessageStart start, ReadOnlyMemory<byte> bytes) => new(start, null, bytes);

    public static OutgoingMessage Empty(MessageStart start) => new(start, null, ReadOnlyMemory<byte>.Empty);
}
