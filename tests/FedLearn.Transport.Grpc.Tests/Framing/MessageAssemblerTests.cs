using System.Runtime.InteropServices;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Tests.Framing;

public sealed class MessageAssemblerTests
{
    private static readonly TransportLimits Limits = new(MaxChunkBytes: 1024, MaxMessageBytes: 1 << 20, MaxTensors: 16);

    [Test]
    public void FitInstructionRoundTripsBitIdenticalAcrossUnevenChunks()
    {
        ModelWeights weights = RandomWeights(1000, seed: 1);
        var instruction = new FitInstruction(3, weights, new FedLearn.FitConfig { Round = 3, LocalEpochs = 2, BatchSize = 16, LearningRate = 0.05, ProximalMu = 0.1, Seed = 99 });
        OutgoingMessage encoded = new MessageEncoder(null).Encode(instruction);
        encoded.Start.ExchangeId = 7;

        // Chunks of 1000 bytes split floats in the middle: the receiver must still rebuild every bit.
        var received = (FitInstruction)Receive(encoded, chunkBytes: 1000, receivesReplies: false);

        Assert.That(received.Round, Is.EqualTo(3));
        Assert.That(received.Config, Is.EqualTo(instruction.Config));
        Assert.That(received.Weights.HasSameLayout(weights), Is.True);
        Assert.That(MemoryMarshal.AsBytes(received.Weights.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(weights.AsSpan())), Is.True);
    }

    [FsCheck.NUnit.Property(MaxTest = 50)]
    public bool DenseFitReplyRoundTripsForAnyLengthAndChunkSize(int[] bits, FsCheck.PositiveInt chunk)
    {
        float[] values = bits.Select(BitConverter.Int32BitsToSingle).ToArray();
        var reply = new FitReply(new ClientUpdate("c1", 2, 17, new DenseUpdatePayload(values), new FedLearn.TrainingMetrics(0.5, 0.75, 17, 3, TimeSpan.FromSeconds(1))));
        OutgoingMessage encoded = new MessageEncoder(null).Encode(reply);
        var received = (FitReply)Receive(encoded, chunkBytes: 1 + (chunk.Get % 1024), receivesReplies: true);
        var payload = (DenseUpdatePayload)received.Update.Payload;
        return MemoryMarshal.AsBytes(payload.Values.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(values.AsSpan()))
            && received.Update.ClientId == "c1" && received.Update.ExampleCount == 17 && received.Update.Metrics == reply.Update.Metrics;
    }

    [Test]
    public void EncodedReplyAndEmptyBodiedRepliesRoundTrip()
    {
        byte[] bytes = Enumerable.Range(0, 3000).Select(i => (byte)(i * 7)).ToArray();
        var encodedReply = new FitReply(new ClientUpdate("c2", 4, 5, new EncodedUpdatePayload(bytes, 12345), new FedLearn.TrainingMetrics(1, 0.5, 5, 1, TimeSpan.Zero)));
        var received = (FitReply)Receive(new MessageEncoder(null).Encode(encodedReply), 512, receivesReplies: true);
        var payload = (EncodedUpdatePayload)received.Update.Payload;
        Assert.That(payload.ElementCount, Is.EqualTo(12345));
        Assert.That(payload.Bytes.ToArray(), Is.EqualTo(bytes));

        var evaluate = new EvaluateReply("c2", 4, new FedLearn.EvaluationMetrics(0.3, 0.9, 100));
        Assert.That(Receive(new MessageEncoder(null).Encode(evaluate), 512, receivesReplies: true), Is.EqualTo(evaluate));
        var error = new ErrorReply("c2", 4, "out of memory");
        Assert.That(Receive(new MessageEncoder(null).Encode(error), 512, receivesReplies: true), Is.EqualTo(error));
    }

    [Test]
    public void ExtensionKindsGoThroughTheirSerializer()
    {
        var serializer = new EchoSerializer();
        var message = new EchoMessage("c3", 6, "masked input");
        OutgoingMessage encoded = new MessageEncoder([serializer]).Encode(message);
        Assert.That(encoded.Start.Extension.Kind, Is.EqualTo(EchoSerializer.Kind));
        object received = Receive(encoded, 4, receivesReplies: true, [serializer]);
        Assert.That(received, Is.EqualTo(message));
    }

    [Test]
    public void AnExtensionBodyThatClaimsAnotherClientThanItsHeaderIsRefused()
    {
        var serializer = new EchoSerializer();
        OutgoingMessage encoded = new MessageEncoder([serializer]).Encode(new EchoMessage("mallory", 6, "masked input"));
        // The header (checked against the certificate) says c3; the body, which the round reads, says mallory.
        encoded.Start.Extension.ClientId = "c3";
        ProtocolViolationException violation = Assert.Throws<ProtocolViolationException>(() => Receive(encoded, 64, receivesReplies: true, [serializer]))!;
        Assert.That(violation.Code, Is.EqualTo(StatusCode.PermissionDenied));
        Assert.That(violation.Message, Does.Contain("claims client 'mallory' but its header says 'c3'"));
    }

    [Test]
    public void AnExtensionBodyForAnotherRoundThanItsHeaderIsRefused()
    {
        var serializer = new EchoSerializer();
        OutgoingMessage encoded = new MessageEncoder([serializer]).Encode(new EchoMessage("c3", 6, "masked input"));
        encoded.Start.Round = 7;
        ProtocolViolationException violation = Assert.Throws<ProtocolViolationException>(() => Receive(encoded, 64, receivesReplies: true, [serializer]))!;
        Assert.That(violation.Code, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(violation.Message, Does.Contain("is for round 6 but its header says round 7"));
    }

    [Test]
    public void AnExtensionReplySentToAClientIsRefusedNotIgnored()
    {
        var serializer = new EchoSerializer();
        OutgoingMessage encoded = new MessageEncoder([serializer]).Encode(new EchoMessage("c3", 6, "masked input"));
        ProtocolViolationException violation = Assert.Throws<ProtocolViolationException>(() => Receive(encoded, 64, receivesReplies: false, [serializer]))!;
        Assert.That(violation.Message, Does.Contain("reads as a EchoMessage, which is not accepted in this direction"));
    }

    [Test]
    public void AnUnknownMessageKindIsNotSilentlyDropped()
    {
        var exception = Assert.Throws<NotSupportedException>(() => new MessageEncoder(null).Encode(new EchoMessage("c", 1, "x")));
        Assert.That(exception!.Message, Does.Contain("No registered IMessageSerializer writes EchoMessage"));

        var start = new MessageStart { ExchangeId = 1, Round = 1, Extension = new ExtensionHeader { Kind = "nobody.knows.v1" } };
        ProtocolViolationException violation = Assert.Throws<ProtocolViolationException>(() => new MessageAssembler(Limits, null, true).Begin(start))!;
        Assert.That(violation.Code, Is.EqualTo(StatusCode.Unimplemented));
        Assert.That(violation.Message, Does.Contain("nobody.knows.v1"));
    }

    [Test]
    public void DeclaredSizesAreCheckedBeforeAllocation()
    {
        var assembler = new MessageAssembler(Limits, null, receivesReplies: true);
        ProtocolViolationException tooBig = Assert.Throws<ProtocolViolationException>(() => assembler.Begin(DenseReplyStart(1, elementCount: 1 << 30)))!;
        Assert.That(tooBig.Code, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(tooBig.Message, Does.Contain("declares a body of 4294967296 bytes; the limit is 1048576 bytes"));

        MessageStart inconsistent = DenseReplyStart(2, elementCount: 10);
        inconsistent.BodyLength = 44;
        Assert.That(Assert.Throws<ProtocolViolationException>(() => assembler.Begin(inconsistent))!.Message, Does.Contain("dense update of 10 values but a body of 44 bytes"));

        var layout = new ModelLayout();
        layout.Tensors.Add(new TensorSpec { Name = "w", Shape = { 5, -2 } });
        var badShape = new MessageStart { ExchangeId = 3, Round = 1, BodyLength = 40, FitInstruction = new FitInstructionHeader { Layout = layout, Config = new Protocol.FitConfig { LocalEpochs = 1, BatchSize = 1, LearningRate = 0.1 } } };
        Assert.That(Assert.Throws<ProtocolViolationException>(() => new MessageAssembler(Limits, null, false).Begin(badShape))!.Message, Does.Contain("negative dimension"));
    }

    [Test]
    public void OversizedOutOfOrderAndExcessChunksAreRefusedWithAClearStatus()
    {
        var assembler = new MessageAssembler(Limits, null, receivesReplies: true);
        assembler.Begin(DenseReplyStart(5, elementCount: 600));

        ProtocolViolationException oversized = Assert.Throws<ProtocolViolationException>(() => assembler.Append(ChunkOf(5, 0, 2048)))!;
        Assert.That(oversized.Code, Is.EqualTo(StatusCode.ResourceExhausted));
        Assert.That(oversized.Message, Does.Contain("holds 2048 bytes; the chunk limit is 1024 bytes"));

        ProtocolViolationException skipped = Assert.Throws<ProtocolViolationException>(() => assembler.Append(ChunkOf(5, 1, 100)))!;
        Assert.That(skipped.Code, Is.EqualTo(StatusCode.InvalidArgument));
        Assert.That(skipped.Message, Does.Contain("expected chunk 0 but got chunk 1"));

        Assert.That(Assert.Throws<ProtocolViolationException>(() => assembler.Append(ChunkOf(6, 0, 100)))!.Message, Does.Contain("out-of-order chunk: chunk 0 of exchange 6 arrived while exchange 5"));
        Assert.That(Assert.Throws<ProtocolViolationException>(() => assembler.Begin(DenseReplyStart(6, 1)))!.Message, Does.Contain("before the 0 of 2400 body bytes of exchange 5 were complete"));

        assembler.Append(ChunkOf(5, 0, 1024));
        assembler.Append(ChunkOf(5, 1, 1024));
        Assert.That(Assert.Throws<ProtocolViolationException>(() => assembler.Append(ChunkOf(5, 2, 1000)))!.Message, Does.Contain("more body bytes than the 2400 it declared"));
        Assert.That(Assert.Throws<ProtocolViolationException>(() => new MessageAssembler(Limits, null, true).Append(ChunkOf(9, 0, 10)))!.Message, Does.Contain("without a MessageStart"));
    }

    [Test]
    public void ACorruptedBodyFailsTheChecksum()
    {
        var reply = new FitReply(new ClientUpdate("c1", 1, 1, new DenseUpdatePayload(new float[300]), new FedLearn.TrainingMetrics(0, 0, 1, 1, TimeSpan.Zero)));
        OutgoingMessage encoded = new MessageEncoder(null).Encode(reply);
        var assembler = new MessageAssembler(Limits, null, receivesReplies: true);
        assembler.Begin(encoded.Start);
        byte[] body = new byte[1200];
        body[77] = 1;
        assembler.Append(new Chunk { ExchangeId = 0, Sequence = 0, Data = ByteString.CopyFrom(body, 0, 600) });
        ProtocolViolationException violation = Assert.Throws<ProtocolViolationException>(() => assembler.Append(new Chunk { ExchangeId = 0, Sequence = 1, Data = ByteString.CopyFrom(body, 600, 600) }))!;
        Assert.That(violation.Code, Is.EqualTo(StatusCode.DataLoss));
        Assert.That(violation.Message, Does.Contain("checksum"));
    }

    [Test]
    public void InstructionsAreRefusedOnTheServerAndRepliesOnTheClient()
    {
        OutgoingMessage instruction = new MessageEncoder(null).Encode(new EvaluateInstruction(1, RandomWeights(4, 2)));
        Assert.That(Assert.Throws<ProtocolViolationException>(() => new MessageAssembler(Limits, null, receivesReplies: true).Begin(instruction.Start))!.Message, Does.Contain("is not accepted in this direction"));
        OutgoingMessage reply = new MessageEncoder(null).Encode(new ErrorReply("c", 1, "x"));
        Assert.That(Assert.Throws<ProtocolViolationException>(() => new MessageAssembler(Limits, null, receivesReplies: false).Begin(reply.Start))!.Message, Does.Contain("is not accepted in this direction"));
    }

    internal static ModelWeights RandomWeights(int length, int seed)
    {
        var random = new Random(seed);
        int first = length / 3;
        ModelWeights weights = new([("a.weight", new[] { first }), ("b.bias", new[] { length - first })]);
        Span<float> values = weights.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        return weights;
    }

    private static MessageStart DenseReplyStart(ulong id, int elementCount) => new()
    {
        ExchangeId = id,
        Round = 1,
        BodyLength = (long)elementCount * sizeof(float),
        FitReply = new FitReplyHeader { ClientId = "c", ElementCount = elementCount, PayloadKind = PayloadKind.Dense },
    };

    private static Chunk ChunkOf(ulong id, uint sequence, int bytes) => new() { ExchangeId = id, Sequence = sequence, Data = ByteString.CopyFrom(new byte[bytes]) };

    private static object Receive(OutgoingMessage message, int chunkBytes, bool receivesReplies, IMessageSerializer[]? serializers = null)
    {
        var assembler = new MessageAssembler(Limits with { MaxChunkBytes = Math.Max(chunkBytes, 4) }, serializers, receivesReplies);
        byte[] body = message.Floats is { } floats ? MemoryMarshal.AsBytes(floats.AsSpan()).ToArray() : message.Bytes.ToArray();
        AssembledMessage? done = assembler.Begin(message.Start);
        uint sequence = 0;
        for (int offset = 0; offset < body.Length; offset += chunkBytes)
        {
            Assert.That(done, Is.Null);
            done = assembler.Append(new Chunk { ExchangeId = message.Start.ExchangeId, Sequence = sequence++, Data = ByteString.CopyFrom(body, offset, Math.Min(chunkBytes, body.Length - offset)) });
        }

        Assert.That(done, Is.Not.Null);
        Assert.That(assembler.InProgress, Is.False);
        return done!.Value.Message!;
    }
}
