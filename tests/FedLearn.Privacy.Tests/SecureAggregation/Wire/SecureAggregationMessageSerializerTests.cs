using System.Buffers;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.Privacy.SecureAggregation.Wire;
using FedLearn.Privacy.Tests.HomomorphicEncryption;
using FedLearn.Transport;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation.Wire;

public sealed class SecureAggregationMessageSerializerTests
{
    private readonly SecureAggregationMessageSerializer _serializer = new();

    /// <summary>Every message of a real SecAgg+ round survives writing and reading; the round still sums exactly through it.</summary>
    [Test]
    public async Task A_whole_round_runs_through_the_wire_format()
    {
        var harness = new SecAggHarness(5) { };
        var wire = new WireStages(harness, _serializer);
        var server = new SecAggPlusServer(new SecAggPlusOptions { NumShares = 5, ReconstructionThreshold = 3 });
        (float[][] deltas, long[] examples) = SecAggPlusProtocolTests.Inputs(5, 33, seed: 2);
        harness.DropBefore("c003", 4);

        var setup = await server.SetUpAsync(1, harness.Ids, 33, wire, CancellationToken.None);
        var updates = new List<ClientUpdate>();
        var survivors = new List<int>();
        foreach (string id in setup.Participants.Where(id => id != "c003"))
        {
            int i = Array.IndexOf(harness.Ids, id);
            var reply = new FitReply(new ClientUpdate(id, 1, examples[i], harness.Clients[id].Protect(id, 1, deltas[i], examples[i], SecAggHarness.SeedOf(1, i)), new TrainingMetrics(0.5, 0.25, examples[i], 3, TimeSpan.FromSeconds(1))));
            var back = (FitReply)RoundTrip(reply);
            Assert.That(back.Update.Metrics, Is.EqualTo(reply.Update.Metrics));
            updates.Add(back.Update);
            survivors.Add(i);
        }

        float[] mean = new float[33];
        var result = await server.AggregateAsync(1, updates, mean, wire, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        Assert.That(mean, Is.EqualTo(SecAggHarness.PlainMean(server.Options, survivors, deltas, examples, 1)).AsCollection);
        Assert.That(wire.Kinds, Is.SupersetOf(new[] { "secagg.advertise-keys-request.v1", "secagg.share-keys-reply.v1", "secagg.deliver-shares-request.v1", "secagg.unmask-reply.v1" }));
    }

    [Test]
    public void Paillier_messages_round_trip()
    {
        PaillierOptions options = TestKeys.Options();
        using var client = new PaillierAggregationClient(TestKeys.Key768, options);
        var payload = (EncryptedUpdatePayload)client.Protect("a", 2, [0.1f, -0.2f], 10, 1);
        var reply = new FitReply(new ClientUpdate("a", 2, 10, payload, new TrainingMetrics(1, 0, 10, 1, TimeSpan.Zero)));

        var back = (EncryptedUpdatePayload)((FitReply)RoundTrip(reply)).Update.Payload;
        var request = (DecryptRequest)RoundTrip(new DecryptRequest(2, payload.Vector, payload.CiphertextBytes));
        var decrypted = (DecryptReply)RoundTrip(new DecryptReply("a", 2, [5, 6, 7], 2));

        Assert.That(back.Vector.Ciphertexts, Is.EqualTo(payload.Vector.Ciphertexts).AsCollection);
        Assert.That(request.Sum.Ciphertexts, Is.EqualTo(payload.Vector.Ciphertexts).AsCollection);
        Assert.That(decrypted.Sums, Is.EqualTo(new long[] { 5, 6, 7 }).AsCollection);
        Assert.That(_serializer.GetKind(new FitReply(new ClientUpdate("a", 1, 1, new DenseUpdatePayload([1f]), new TrainingMetrics(0, 0, 1, 1, TimeSpan.Zero)))), Is.Null);
    }

    [Test]
    public void Every_truncation_of_a_message_is_refused_with_a_format_error()
    {
        var message = new ShareKeysReply("c001", 3, [new EncryptedShare(1, 2, new byte[116]), new EncryptedShare(1, 3, new byte[116])]);
        byte[] bytes = Write(message, out string kind);

        for (int cut = 0; cut < bytes.Length; cut++)
        {
            Assert.That(() => _serializer.Read(kind, new ReadOnlySequence<byte>(bytes, 0, cut)), Throws.InstanceOf<FedLearnFormatException>(), $"cut at {cut}");
        }
    }

    [Test]
    public void A_flipped_bit_fails_the_checksum()
    {
        byte[] bytes = Write(new UnmaskRequest(1, [1, 2, 3], [4]), out string kind);
        bytes[^1] ^= 1;

        Assert.That(() => _serializer.Read(kind, new ReadOnlySequence<byte>(bytes)), Throws.InstanceOf<FedLearnFormatException>().With.Message.Contains("checksum"));
    }

    [Test]
    public void A_count_larger_than_the_payload_is_refused_before_allocating()
    {
        // A body that claims two billion survivors in eight bytes.
        var body = new byte[8];
        BitConverter.TryWriteBytes(body.AsSpan(0, 4), 1);
        BitConverter.TryWriteBytes(body.AsSpan(4, 4), int.MaxValue);
        byte[] bytes = [.. "FLSA"u8.ToArray(), SecureAggregationMessageSerializer.Version, 7, .. BitConverter.GetBytes(body.Length), .. BitConverter.GetBytes(System.IO.Hashing.Crc32.HashToUInt32(body)), .. body];

        Assert.That(() => _serializer.Read("secagg.unmask-request.v1", new ReadOnlySequence<byte>(bytes)), Throws.InstanceOf<FedLearnFormatException>().With.Message.Contains("survivors: count 2147483647 does not fit"));
    }

    private object RoundTrip(object message) => _serializer.Read(_serializer.GetKind(message)!, new ReadOnlySequence<byte>(Write(message, out _)));

    private byte[] Write(object message, out string kind)
    {
        kind = _serializer.GetKind(message)!;
        var buffer = new ArrayBufferWriter<byte>();
        _serializer.Write(message, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The harness's exchange, with every message and reply written and read back on the way.</summary>
    private sealed class WireStages(SecAggHarness inner, SecureAggregationMessageSerializer serializer) : FedLearn.SecureAggregation.ISecureAggregationStages
    {
        public HashSet<string> Kinds { get; } = [];

        public async Task<FedLearn.SecureAggregation.SecureStageResult> ExchangeAsync(IReadOnlyList<string> clients, Func<string, ServerMessage> messageFor, int quorum, CancellationToken cancellationToken)
        {
            var result = await inner.ExchangeAsync(clients, id => (ServerMessage)Through(messageFor(id)), quorum, cancellationToken);
            return result with { Replies = result.Replies.Select(r => (r.ClientId, r.Reply is ErrorReply ? r.Reply : (ClientMessage)Through(r.Reply))).ToArray() };
        }

        private object Through(object message)
        {
            string kind = serializer.GetKind(message)!;
            Kinds.Add(kind);
            var buffer = new ArrayBufferWriter<byte>();
            serializer.Write(message, buffer);
            return serializer.Read(kind, new ReadOnlySequence<byte>(buffer.WrittenMemory));
        }
    }
}
