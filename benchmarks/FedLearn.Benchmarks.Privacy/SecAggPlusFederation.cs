using FedLearn.Privacy.SecureAggregation;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport;

namespace FedLearn.Benchmarks.Privacy;

/// <summary>
/// A SecAgg+ federation in one process for measurements: n real clients, a fraction dropping out after the key
/// set-up (before sending their masked input), and every message's wire size counted per client.
/// </summary>
internal sealed class SecAggPlusFederation : ISecureAggregationStages
{
    public SecAggPlusFederation(int clients, double dropout, SecAggPlusOptions options)
    {
        Ids = Enumerable.Range(0, clients).Select(i => $"c{i:D4}").ToArray();
        Clients = Ids.ToDictionary(id => id, _ => new SecAggPlusClient(), StringComparer.Ordinal);
        int drops = (int)Math.Round(clients * dropout);
        // Every fifth client (or the first ones) drops: spread over the ring's random order anyway.
        Dropped = new HashSet<string>(Ids.Where((_, i) => i % Math.Max(1, clients / Math.Max(1, drops)) == 0).Take(drops), StringComparer.Ordinal);
        Server = new SecAggPlusServer(options);
    }

    public string[] Ids { get; }

    public Dictionary<string, SecAggPlusClient> Clients { get; }

    public HashSet<string> Dropped { get; }

    public SecAggPlusServer Server { get; }

    public Dictionary<string, long> BytesUp { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, long> BytesDown { get; } = new(StringComparer.Ordinal);

    /// <summary>Replies given for unmasking, kept to replay the server's unmasking without the clients.</summary>
    public List<(string ClientId, ClientMessage Reply)> UnmaskReplies { get; } = [];

    public bool ReplayUnmask { get; set; }

    public async Task<SecureStageResult> ExchangeAsync(IReadOnlyList<string> clients, Func<string, ServerMessage> messageFor, int quorum, CancellationToken cancellationToken)
    {
        if (ReplayUnmask)
        {
            return new SecureStageResult(UnmaskReplies, [], 0, 0);
        }

        var replies = new List<(string, ClientMessage)>();
        foreach (string id in clients)
        {
            ServerMessage message = messageFor(id);
            ClientMessage reply = (await Clients[id].HandleAsync(id, message, cancellationToken))!;
            Add(BytesDown, id, message.ByteSize);
            Add(BytesUp, id, reply.ByteSize);
            replies.Add((id, reply));
            if (message is UnmaskRequest)
            {
                UnmaskReplies.Add((id, reply));
            }
        }

        return new SecureStageResult(replies, [], 0, 0);
    }

    /// <summary>Runs the key set-up and the masked input collection; returns the updates the server receives.</summary>
    /// <param name="length">Model parameters.</param>
    /// <param name="shareOnePayload">Send every client's payload as the same array (saves memory for n·d beyond RAM; the timing of unmasking is the same).</param>
    public async Task<List<ClientUpdate>> PrepareAsync(int length, bool shareOnePayload)
    {
        SecureAggregationSetup setup = await Server.SetUpAsync(1, Ids, length, this, CancellationToken.None);
        if (setup.FailureReason is not null)
        {
            throw new InvalidOperationException(setup.FailureReason);
        }

        var random = new Random(7);
        float[] delta = Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() - 0.5) * 0.01f).ToArray();
        var updates = new List<ClientUpdate>();
        UpdatePayload? shared = null;
        foreach (string id in setup.Participants.Where(id => !Dropped.Contains(id)))
        {
            UpdatePayload payload = Clients[id].Protect(id, 1, delta, 100, 1);
            Add(BytesUp, id, payload.ByteSize);
            if (shareOnePayload)
            {
                shared ??= payload;
                payload = shared;
            }

            updates.Add(new ClientUpdate(id, 1, 100, payload, new TrainingMetrics(0, 0, 100, 1, TimeSpan.Zero)));
        }

        return updates;
    }

    private static void Add(Dictionary<string, long> bytes, string id, long value) => bytes[id] = bytes.GetValueOrDefault(id) + value;
}
