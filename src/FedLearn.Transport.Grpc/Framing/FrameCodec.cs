using System.Buffers;
using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// Serializes and parses the frames of the federation stream. The wire format is exactly the protobuf of
/// <c>fedlearn.v1</c>; what differs from the generated marshaller is only where a chunk's bytes land: a frame that
/// holds just a <see cref="Chunk"/> is read by hand and its body bytes are copied into a pooled array
/// (<see cref="PooledChunkData"/>) instead of a new array per chunk. Every other frame, and any chunk written in a form
/// this reader does not expect (fields repeated, unknown fields), goes through the generated parser unchanged.
/// Thread-safe.
/// </summary>
internal static class FrameCodec
{
    // The tags of fedlearn.v1: ClientFrame.chunk and ServerFrame.chunk are both field 4; Chunk's fields are 1, 2 and 3.
    private const uint ChunkFrameTag = (4 << 3) | 2;
    private const uint ExchangeIdTag = (1 << 3) | 0;
    private const uint SequenceTag = (2 << 3) | 0;
    private const uint DataTag = (3 << 3) | 2;

    public static Marshaller<ClientFrame> ClientFrames { get; } = Marshallers.Create<ClientFrame>(Serialize, context => Deserialize(context, ClientFrame.Parser, static chunk => new ClientFrame { Chunk = chunk }));

    public static Marshaller<ServerFrame> ServerFrames { get; } = Marshallers.Create<ServerFrame>(Serialize, context => Deserialize(context, ServerFrame.Parser, static chunk => new ServerFrame { Chunk = chunk }));

    /// <summary>Reads a frame that is only a chunk; false (and nothing allocated) when the bytes are any other frame.</summary>
    public static bool TryReadChunk(ReadOnlySequence<byte> payload, out Chunk? chunk)
    {
        chunk = null;
        var reader = new SequenceReader<byte>(payload);
        if (!TryReadVarint(ref reader, out ulong tag) || tag != ChunkFrameTag || !TryReadVarint(ref reader, out ulong length) || length != (ulong)reader.Remaining)
        {
            return false;
        }

        ulong exchangeId = 0;
        ulong sequence = 0;
        ReadOnlySequence<byte> data = ReadOnlySequence<byte>.Empty;
        bool seenId = false, seenSequence = false, seenData = false;
        while (!reader.End)
        {
            if (!TryReadVarint(ref reader, out tag))
            {
                return false;
            }

            switch (tag)
            {
                case ExchangeIdTag when !seenId:
                    seenId = TryReadVarint(ref reader, out exchangeId);
                    if (!seenId)
                    {
                        return false;
                    }

                    break;
                case SequenceTag when !seenSequence:
                    seenSequence = TryReadVarint(ref reader, out sequence) && sequence <= uint.MaxValue;
                    if (!seenSequence)
                    {
                        return false;
                    }

                    break;
                case DataTag when !seenData:
                    if (!TryReadVarint(ref reader, out length) || length > (ulong)reader.Remaining)
                    {
                        return false;
                    }

                    data = reader.UnreadSequence.Slice(0, (long)length);
                    reader.Advance((long)length);
                    seenData = true;
                    break;
                default:
                    return false;
            }
        }

        chunk = new Chunk { ExchangeId = exchangeId, Sequence = (uint)sequence, Data = PooledChunkData.Copy(data) };
        return true;
    }

    private static void Serialize(IBufferMessage message, SerializationContext context)
    {
        var protobuf = (IMessage)message;
        context.SetPayloadLength(protobuf.CalculateSize());
        protobuf.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    private static TFrame Deserialize<TFrame>(DeserializationContext context, MessageParser<TFrame> parser, Func<Chunk, TFrame> chunkFrame)
        where TFrame : IMessage<TFrame>
    {
        ReadOnlySequence<byte> payload = context.PayloadAsReadOnlySequence();
        return TryReadChunk(payload, out Chunk? chunk) ? chunkFrame(chunk!) : parser.ParseFrom(payload);
    }

    private static bool TryReadVarint(ref SequenceReader<byte> reader, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64; shift += 7)
        {
            if (!reader.TryRead(out byte next))
            {
                return false;
            }

            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80)
            {
                return true;
            }
        }

        return false;
    }
}
