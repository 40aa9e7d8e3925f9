using System.Security.Cryptography;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport;

namespace FedLearn.Privacy.Tests.SecureAggregation;

/// <summary>
/// Runs SecAgg+ rounds between one server and in-process clients, with clients going offline before a chosen stage
/// (1 advertise, 2 share keys, 3 deliver shares, 4 masked input, 5 unmask; 0 never).
/// </summary>
internal sealed class SecAggHarness : ISecureAggregationStages
{
    private readonly Dictionary<string, int> _dropBefore = new(StringComparer.Ordinal);

    public SecAggHarness(int clients)
    {
        Ids = Enumerable.Range(0, clients).Select(i => $"c{i:D3}").ToArray();
        Clients = Ids.ToDictionary(id => id, _ => new SecAggPlusClient(), StringComparer.Ordinal);
    }

    public string[] Ids { get; }

    public Dictionary<string, SecAggPlusClient> Clients { get; }

    /// <summary>Changes a reply before the server sees it (to play a misbehaving network).</summary>
    public Func<string, ClientMessage, ClientMessage>? Tamper { get; set; }

    public List<(string ClientId, ServerMessage Message)> Sent { get; } = [];

    public void DropBefore(string clientId, int stage) => _dropBefore[clientId] = stage;

    public bool IsOffline(string clientId, int stage) => _dropBefore.TryGetValue(clientId, out int at) && at > 0 && at <= stage;

    public async Task<SecureStageResult> ExchangeAsync(IReadOnlyList<string> clients, Func<string, ServerMessage> messageFor, int quorum, CancellationToken cancellationToken)
    {
        var replies = new List<(string, ClientMessage)>();
        var failures = new List<ClientFailure>();
        foreach (string id in clients)
        {
            ServerMessage message = messageFor(id);
            Sent.Add((id, message));
            if (IsOffline(id, StageOf(message)))
            {
                failures.Add(new ClientFailure(id, ClientFailureKind.Unavailable, "offline"));
                continue;
            }

            ClientMessage reply;
            try
            {
                reply = await Clients[id].HandleAsync(id, message, cancellationToken) ?? new ErrorReply(id, message.Round, "unknown message");
            }
            catch (InvalidOperationException exception)
            {
                reply = new ErrorReply(id, message.Round, exception.Message);
            }

            replies.Add((id, Tamper is null ? reply : Tamper(id, reply)));
        }

        return new SecureStageResult(replies, failures, 0, 0);
    }

    /// <summary>Runs one round; returns the set-up, the result, the mean and the plain fixed-point mean of the survivors.</summary>
    public async Task<RoundOutcome> RunAsync(SecAggPlusServer server, int round, float[][] deltas, long[] examples)
    {
        int length = deltas[0].Length;
        SecureAggregationSetup setup = await server.SetUpAsync(round, Ids, length, this, CancellationToken.None);
        if (setup.FailureReason is not null)
        {
            return new RoundOutcome(setup, null, null, null);
        }

        var updates = new List<ClientUpdate>();
        var survivors = new List<int>();
        foreach (string id in setup.Participants)
        {
            if (IsOffline(id, 4))
            {
                continue;
            }

            int i = Array.IndexOf(Ids, id);
            UpdatePayload payload = Clients[id].Protect(id, round, deltas[i], examples[i], SeedOf(round, i));
            updates.Add(new ClientUpdate(id, round, examples[i], payload, new TrainingMetrics(0, 0, examples[i], 1, TimeSpan.Zero)));
            survivors.Add(i);
        }

        float[] mean = new float[length];
        SecureAggregationResult result = await server.AggregateAsync(round, updates, mean, this, CancellationToken.None);
        return new RoundOutcome(setup, result, mean, PlainMean(server.Options, survivors, deltas, examples, round));
    }

    public static ulong SeedOf(int round, int client) => (ulong)((round * 7919) + client);

    /// <summary>What the unmasked mean must equal exactly: the same quantization (same rounding seeds) summed in plain integers.</summary>
    public static float[] PlainMean(SecAggPlusOptions options, IReadOnlyList<int> clients, float[][] deltas, long[] examples, int round)
    {
        int length = deltas[0].Length;
        var sum = new uint[length];
        long weights = 0;
        foreach (int i in clients)
        {
            int weight = (int)Math.Min(examples[i], options.MaxWeight);
            var words = new uint[length];
            using (var rounding = new MaskGenerator(SHA256.HashData(BitConverter.GetBytes(SeedOf(round, i)))))
            {
                FixedPointQuantizer.Quantize(deltas[i], (double)weight / options.MaxWeight, options.ClippingRange, options.QuantizationRange, rounding, words);
            }

            for (int k = 0; k < length; k++)
            {
                sum[k] += words[k];
            }

            weights += weight;
        }

        var mean = new float[length];
        FixedPointQuantizer.DequantizeSum(sum, clients.Count, options.ClippingRange, options.QuantizationRange, (double)weights / options.MaxWeight, mean);
        return mean;
    }

    private static int StageOf(ServerMessage message) => message switch
    {
        AdvertiseKeysRequest => 1,
        ShareKeysRequest => 2,
        DeliverSharesRequest => 3,
        UnmaskRequest => 5,
        _ => 0,
    };
}

internal sealed record RoundOutcome(SecureAggregationSetup Setup, SecureAggregationResult? Result, float[]? Mean, float[]? PlainMean);
