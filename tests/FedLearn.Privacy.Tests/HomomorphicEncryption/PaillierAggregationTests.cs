using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.HomomorphicEncryption;

public sealed class PaillierAggregationTests
{
    [Test]
    public async Task The_server_gets_the_weighted_mean_from_ciphertexts_and_one_decryption()
    {
        PaillierOptions options = TestKeys.Options();
        using var server = new PaillierSecureAggregation(TestKeys.Key768.PublicKey, options);
        var clients = Enumerable.Range(0, 4).ToDictionary(i => $"p{i}", _ => new PaillierAggregationClient(TestKeys.Key768, options));
        var stages = new Stages(clients);
        var random = new Random(9);
        float[][] deltas = Enumerable.Range(0, 4).Select(_ => Enumerable.Range(0, 70).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()).ToArray();
        long[] examples = [100, 300, 50, 550];
        string[] ids = [.. clients.Keys];

        SecureAggregationSetup setup = await server.SetUpAsync(1, ids, 70, stages, CancellationToken.None);
        var updates = setup.Participants.Select((id, i) => new ClientUpdate(id, 1, examples[i], clients[id].Protect(id, 1, deltas[i], examples[i], (ulong)i), new TrainingMetrics(0, 0, examples[i], 1, TimeSpan.Zero))).ToList();
        float[] mean = new float[70];
        SecureAggregationResult result = await server.AggregateAsync(1, updates, mean, stages, CancellationToken.None);

        Assert.That(result.Succeeded, Is.True, result.FailureReason);
        float[] expected = Tests.SecureAggregation.SecAggPlusProtocolTests.WeightedMean(deltas, examples, [0, 1, 2, 3]);
        double step = 2 * options.ClippingRange / options.QuantizationRange;
        Assert.That(Tests.SecureAggregation.SecAggPlusProtocolTests.MaxError(mean, expected), Is.LessThan(4 * step * options.MaxWeight / examples.Sum()));
        Assert.That(stages.Sent.OfType<DecryptRequest>().Count(), Is.EqualTo(1));
        foreach (PaillierAggregationClient client in clients.Values)
        {
            client.Dispose();
        }
    }

    [Test]
    public async Task A_client_refuses_to_decrypt_a_single_update_or_a_replayed_request()
    {
        PaillierOptions options = TestKeys.Options();
        using var client = new PaillierAggregationClient(TestKeys.Key768, options);
        var single = (EncryptedUpdatePayload)client.Protect("a", 1, new float[3], 10, 1);

        Assert.That(() => client.HandleAsync("a", new DecryptRequest(1, single.Vector, 1), CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("sum of 1 encryptions"));

        using var scheme = new PaillierScheme(TestKeys.Key768.PublicKey, options);
        var pair = scheme.Add(single.Vector, ((EncryptedUpdatePayload)client.Protect("a", 1, new float[3], 10, 2)).Vector);
        Assert.That(await client.HandleAsync("a", new DecryptRequest(1, pair, 1), CancellationToken.None), Is.InstanceOf<DecryptReply>());
        Assert.That(() => client.HandleAsync("a", new DecryptRequest(1, pair, 1), CancellationToken.None), Throws.InvalidOperationException.With.Message.Contains("replayed"));
    }

    private sealed class Stages(Dictionary<string, PaillierAggregationClient> clients) : ISecureAggregationStages
    {
        public List<ServerMessage> Sent { get; } = [];

        public async Task<SecureStageResult> ExchangeAsync(IReadOnlyList<string> ids, Func<string, ServerMessage> messageFor, int quorum, CancellationToken cancellationToken)
        {
            var replies = new List<(string, ClientMessage)>();
            foreach (string id in ids)
            {
                ServerMessage message = messageFor(id);
                Sent.Add(message);
                replies.Add((id, (await clients[id].HandleAsync(id, message, cancellationToken))!));
            }

            return new SecureStageResult(replies, Array.Empty<ClientFailure>(), 0, 0);
        }
    }
}
