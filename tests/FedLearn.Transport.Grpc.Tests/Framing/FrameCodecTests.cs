using System.Buffers;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Tests.Framing;

public sealed class FrameCodecTests
{
    [FsCheck.NUnit.Property(MaxTest = 100)]
    public bool AChunkFrameReadsBackAsProtobufParsesItWhereverThePayloadIsSplit(ulong exchangeId, uint sequence, byte[] data, FsCheck.PositiveInt split)
    {
        byte[] wire = new ClientFrame { Chunk = new Chunk { ExchangeId = exchangeId, Sequence = sequence, Data = ByteString.CopyFrom(data) } }.ToByteArray();
        ClientFrame read = Deserialize(FrameCodec.ClientFrames, wire, 1 + (split.Get % Math.Max(1, wire.Length)));
        try
        {
            return read.Equals(ClientFrame.Parser.ParseFrom(wire));
        }
        finally
        {
            PooledChunkData.Return(read.Chunk.Data);
        }
    }

    [Test]
    public void ChunkBytesArePooledAndCannotBeReadOnceReturned()
    {
        byte[] wire = new ServerFrame { Chunk = new Chunk { ExchangeId = 3, Sequence = 1, Data = ByteString.CopyFrom(1, 2, 3, 4, 5) } }.ToByteArray();
        ServerFrame read = Deserialize(FrameCodec.ServerFrames, wire, segmentBytes: 4);
        Assert.That(read.Chunk.Data.ToByteArray(), Is.EqualTo(new byte[] { 1, 2, 3, 4, 5 }));

        PooledChunkData.Return(read.Chunk.Data);
        PooledChunkData.Return(read.Chunk.Data);

        // A chunk handed back to the pool must not be read again: its array may already hold another chunk.
        Assert.Throws<ObjectDisposedException>(() => _ = read.Chunk.Data.Span.Length);
    }

    [Test]
    public void OtherFramesAndChunksInAnUnexpectedFormGoThroughTheGeneratedParser()
    {
        var hello = new ClientFrame { Hello = new Hello { ClientId = "olga", ProtocolVersion = 1, MaxChunkBytes = 4096 } };
        var start = new ClientFrame { Start = new MessageStart { ExchangeId = 9, Round = 2, BodyLength = 8, EvaluateReply = new EvaluateReplyHeader { ClientId = "olga" } } };
        var empty = new ClientFrame { Chunk = new Chunk() };
        var noData = new ClientFrame { Chunk = new Chunk { Sequence = 1 } };
        // The same chunk field twice: protobuf keeps the last value, which the hand-written reader leaves to the parser.
        byte[] twice = [.. WireChunk([0x10, 0x01, 0x10, 0x02, 0x1A, 0x01, 0x07])];
        // An unknown field 9 inside the chunk.
        byte[] unknown = [.. WireChunk([0x08, 0x05, 0x48, 0x01, 0x1A, 0x01, 0x07])];

        foreach (byte[] wire in new[] { hello.ToByteArray(), start.ToByteArray(), empty.ToByteArray(), noData.ToByteArray(), twice, unknown })
        {
            Assert.That(Deserialize(FrameCodec.ClientFrames, wire, segmentBytes: 3), Is.EqualTo(ClientFrame.Parser.ParseFrom(wire)));
        }

        Assert.That(FrameCodec.TryReadChunk(new ReadOnlySequence<byte>(hello.ToByteArray()), out _), Is.False);
        Assert.That(FrameCodec.TryReadChunk(new ReadOnlySequence<byte>(twice), out _), Is.False);
        Assert.That(FrameCodec.TryReadChunk(new ReadOnlySequence<byte>(unknown), out _), Is.False);
    }

    [Test]
    public void FramesSerializeToTheProtobufBytes()
    {
        var frame = new ServerFrame { Chunk = new Chunk { ExchangeId = 12, Sequence = 4, Data = ByteString.CopyFrom(new byte[300]) } };
        var context = new CapturingSerializationContext();
        FrameCodec.ServerFrames.ContextualSerializer(frame, context);
        Assert.That(context.Written, Is.EqualTo(frame.ToByteArray()));
    }

    private static byte[] WireChunk(byte[] chunkBody) => [0x22, (byte)chunkBody.Length, .. chunkBody];

    private static T Deserialize<T>(Marshaller<T> marshaller, byte[] wire, int segmentBytes) =>
        marshaller.ContextualDeserializer(new SegmentedDeserializationContext(wire, segmentBytes));

    /// <summary>A payload cut into segments, as gRPC hands over a message that spans several network buffers.</summary>
    private sealed class SegmentedDeserializationContext(byte[] wire, int segmentBytes) : DeserializationContext
    {
        public override int PayloadLength => wire.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])wire.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence()
        {
            if (wire.Length == 0)
            {
                return ReadOnlySequence<byte>.Empty;
            }

            var first = new Segment(wire.AsMemory(0, Math.Min(segmentBytes, wire.Length)), 0);
            Segment last = first;
            for (int offset = segmentBytes; offset < wire.Length; offset += segmentBytes)
            {
                last = last.Append(wire.AsMemory(offset, Math.Min(segmentBytes, wire.Length - offset)));
            }

            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }

    private sealed class CapturingSerializationContext : SerializationContext
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public byte[] Written { get; private set; } = [];

        public override void SetPayloadLength(int payloadLength)
        {
        }

        public override IBufferWriter<byte> GetBufferWriter() => _buffer;

        public override void Complete() => Written = _buffer.WrittenSpan.ToArray();

        public override void Complete(byte[] payload) => Written = payload;
    }
}
