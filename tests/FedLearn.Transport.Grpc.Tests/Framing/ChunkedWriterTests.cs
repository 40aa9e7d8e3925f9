using System.Buffers;
using System.Runtime.InteropServices;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Tests.Framing;

public sealed class ChunkedWriterTests
{
    private static readonly TransportLimits Limits = new(MaxChunkBytes: 1 << 16, MaxMessageBytes: 1 << 24, MaxTensors: 16);

    [TestCase(4096)]
    [TestCase(1001)]
    [TestCase(4)]
    public async Task ADenseUpdateGoesThroughTheFrameCodecBitIdenticalInWholeFloatChunks(int chunkBytes)
    {
        float[] values = new float[3000];
        new Random(5).NextBytes(MemoryMarshal.AsBytes(values.AsSpan()));
        var reply = new FitReply(new ClientUpdate("c1", 2, 10, new DenseUpdatePayload(values), new FedLearn.TrainingMetrics(0.1, 0.9, 10, 1, TimeSpan.Zero)));
        OutgoingMessage encoded = new MessageEncoder(null).Encode(reply);
        encoded.Start.ExchangeId = 4;
        var wire = new WireWriter();

        await ChunkedWriter.WriteAsync(wire, encoded, static s => new ClientFrame { Start = s }, static c => new ClientFrame { Chunk = c }, chunkBytes, CancellationToken.None);

        var assembler = new MessageAssembler(Limits, null, receivesReplies: true);
        AssembledMessage? done = null;
        int chunks = 0;
        foreach (byte[] bytes in wire.Frames)
        {
            ClientFrame frame = FrameCodec.ClientFrames.ContextualDeserializer(new WholeDeserializationContext(bytes));
            if (frame.BodyCase == ClientFrame.BodyOneofCase.Start)
            {
                Assert.That(assembler.Begin(frame.Start), Is.Null);
                continue;
            }

            chunks++;
            Assert.That(frame.Chunk.Data.Length % sizeof(float), Is.Zero, "a float chunk holds whole floats");
            done = assembler.Append(frame.Chunk);
            PooledChunkData.Return(frame.Chunk.Data);
        }

        int floatsPerChunk = Math.Max(1, chunkBytes / sizeof(float));
        Assert.That(chunks, Is.EqualTo((values.Length + floatsPerChunk - 1) / floatsPerChunk));
        var received = (DenseUpdatePayload)((FitReply)done!.Value.Message!).Update.Payload;
        Assert.That(MemoryMarshal.AsBytes(received.Values.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(values.AsSpan())), Is.True);
    }

    /// <summary>Serializes each frame when it is written, as gRPC does, so a chunk's view of the body is read then.</summary>
    private sealed class WireWriter : IAsyncStreamWriter<ClientFrame>
    {
        public List<byte[]> Frames { get; } = [];

        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(ClientFrame message)
        {
            var buffer = new ArrayBufferWriter<byte>();
            Google.Protobuf.MessageExtensions.WriteTo(message, buffer);
            Frames.Add(buffer.WrittenSpan.ToArray());
            return Task.CompletedTask;
        }
    }

    private sealed class WholeDeserializationContext(byte[] wire) : DeserializationContext
    {
        public override int PayloadLength => wire.Length;

        public override byte[] PayloadAsNewBuffer() => (byte[])wire.Clone();

        public override ReadOnlySequence<byte> PayloadAsReadOnlySequence() => new(wire);
    }
}
