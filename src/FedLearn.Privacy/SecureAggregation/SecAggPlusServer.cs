using FedLearn.Options;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// The server side of SecAgg+ (Bonawitz et al. 2017 over the sparse random graph of Bell et al. 2020): advertise keys,
/// share keys (forwarded, sealed, to the neighbours), masked input collection (the round's training stage), unmasking.
/// The server learns the sum of the survivors' quantized weighted deltas and nothing else, as long as it follows the
/// protocol and no more than the threshold minus one of a neighbourhood collude with it. Clients that drop out after
/// sharing their keys are unmasked from their neighbours' shares; when a neighbourhood keeps fewer than the threshold,
/// the round fails with the reason.
/// </summary>
/// <remarks>One round at a time. Compression does not compose with the masks (they need the dense fixed-point vector);
/// client-level DP noise is added by the client before masking.</remarks>
public sealed partial class SecAggPlusServer : ISecureAggregationProtocol
{
    private readonly SecAggPlusOptions _options;
    private readonly ILogger _logger;
    private SecAggPlusRoundState? _state;

    /// <summary>Builds the protocol; the options are validated now.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every broken rule.</exception>
    public SecAggPlusServer(SecAggPlusOptions options, ILogger<SecAggPlusServer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(SecAggPlusOptions));
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc />
    public string Name => $"secagg+:{_options.NumShares},{_options.ReconstructionThreshold}";

    /// <summary>The settings in use.</summary>
    public SecAggPlusOptions Options => _options;

    /// <summary>The set-up of the round in progress (benchmarks restore it to unmask the same round repeatedly).</summary>
    internal SecAggPlusRoundState? State
    {
        get => _state;
        set => _state = value;
    }

    /// <inheritdoc />
    public async Task<SecureAggregationSetup> SetUpAsync(int round, IReadOnlyList<string> sampled, int modelLength, ISecureAggregationStages stages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        ArgumentNullException.ThrowIfNull(stages);
        _state = null;
        if (_options.ValidateFor(sampled.Count) is { Count: > 0 } errors)
        {
            return new SecureAggregationSetup { FailureReason = string.Join(" ", errors) };
        }

        var state = new SecAggPlusRoundState(round, _options.ToParameters(modelLength, sampled.Count), sampled);
        int threshold = state.Parameters.ReconstructionThreshold;
        var failures = new List<ClientFailure>();
        long bytesDown = 0;
        long bytesUp = 0;

        // Stage 1: advertise keys.
        SecureStageResult advertised = await stages.ExchangeAsync(sampled, id => new AdvertiseKeysRequest(round, state.IndexOf[id], state.Parameters), sampled.Count, cancellationToken).ConfigureAwait(false);
        Account(advertised, failures, ref bytesDown, ref bytesUp);
        var alive = new List<int>();
        foreach ((string id, ClientMessage reply) in advertised.Replies)
        {
            string? problem = reply switch
            {
                ErrorReply error => error.Error,
                AdvertiseKeysReply keys when keys.ClientId != id || keys.Round != round => $"keys for '{keys.ClientId}' in round {keys.Round} (replayed or misrouted).",
                AdvertiseKeysReply keys => KeyAgreement.CheckPublicKey(keys.EncryptionKey) ?? KeyAgreement.CheckPublicKey(keys.MaskingKey),
                _ => $"expected public keys but got {reply.GetType().Name}.",
            };
            if (Reject(id, reply, problem, failures))
            {
                continue;
            }

            var accepted = (AdvertiseKeysReply)reply;
            int index = state.IndexOf[id];
            state.EncryptionKeys[index] = accepted.EncryptionKey;
            state.MaskingKeys[index] = accepted.MaskingKey;
            alive.Add(index);
        }

        if (alive.Count < threshold)
        {
            return Abort($"only {alive.Count} clients advertised keys; the reconstruction threshold is {threshold}.");
        }

        // The graph joins the clients that advertised keys.
        int degree = Math.Min(state.Parameters.NumShares, alive.Count) - 1;
        if (degree != alive.Count - 1 && degree % 2 != 0)
        {
            degree--;
        }

        NeighbourGraph graph = NeighbourGraph.CreateRandom(alive.Count, degree);
        for (int v = 0; v < alive.Count; v++)
        {
            state.Neighbours[alive[v]] = graph.NeighboursOf(v).Select(u => alive[u]).Order().ToArray();
        }

        // Stage 2: share keys.
        string[] stage2 = alive.Select(i => sampled[i - 1]).ToArray();
        SecureStageResult shared = await stages.ExchangeAsync(
            stage2,
            id => new ShareKeysRequest(round, state.Neighbours[state.IndexOf[id]].Select(j => new NeighbourKeys(j, state.EncryptionKeys[j]!, state.MaskingKeys[j]!)).ToArray()),
            stage2.Length,
            cancellationToken).ConfigureAwait(false);
        Account(shared, failures, ref bytesDown, ref bytesUp);
        var inbox = new Dictionary<int, List<EncryptedShare>>();
        foreach ((string id, ClientMessage reply) in shared.Replies)
        {
            int index = state.IndexOf[id];
            string? problem = reply switch
            {
                ErrorReply error => error.Error,
                ShareKeysReply keys when keys.ClientId != id || keys.Round != round => $"shares for '{keys.ClientId}' in round {keys.Round} (replayed or misrouted).",
                ShareKeysReply keys => CheckShares(index, keys.Shares, state),
                _ => $"expected encrypted shares but got {reply.GetType().Name}.",
            };
            if (Reject(id, reply, problem, failures))
            {
                continue;
            }

            state.Shared[index] = true;
            foreach (EncryptedShare share in ((ShareKeysReply)reply).Shares)
            {
                (inbox.TryGetValue(share.To, out List<EncryptedShare>? list) ? list : inbox[share.To] = []).Add(share);
            }
        }

        // Stage 3: forward to each client that shared the shares addressed to it by clients that shared.
        string[] stage3 = sampled.Where(id => state.Shared[state.IndexOf[id]]).ToArray();
        if (stage3.Length < threshold)
        {
            return Abort($"only {stage3.Length} clients shared their keys; the reconstruction threshold is {threshold}.");
        }

        SecureStageResult delivered = await stages.ExchangeAsync(
            stage3,
            id => new DeliverSharesRequest(round, inbox.TryGetValue(state.IndexOf[id], out List<EncryptedShare>? list) ? list.Where(s => state.Shared[s.From]).ToArray() : []),
            stage3.Length,
            cancellationToken).ConfigureAwait(false);
        Account(delivered, failures, ref bytesDown, ref bytesUp);
        var participants = new List<string>();
        foreach ((string id, ClientMessage reply) in delivered.Replies)
        {
            string? problem = reply switch
            {
                ErrorReply error => error.Error,
                DeliverSharesReply ack when ack.ClientId != id || ack.Round != round => $"acknowledgement for '{ack.ClientId}' in round {ack.Round} (replayed or misrouted).",
                DeliverSharesReply => null,
                _ => $"expected an acknowledgement but got {reply.GetType().Name}.",
            };
            if (!Reject(id, reply, problem, failures))
            {
                participants.Add(id);
            }
        }

        _state = state;
        _logger.LogDebug("SecAgg+ round {Round}: {Participants} of {Sampled} clients completed the key set-up", round, participants.Count, sampled.Count);
        return new SecureAggregationSetup { Participants = participants, Failures = failures, BytesDown = bytesDown, BytesUp = bytesUp };

        SecureAggregationSetup Abort(string reason) => new() { Failures = failures, FailureReason = reason, BytesDown = bytesDown, BytesUp = bytesUp };
    }

    private static string? CheckShares(int from, IReadOnlyList<EncryptedShare> shares, SecAggPlusRoundState state)
    {
        int[] neighbours = state.Neighbours[from];
        if (shares.Count != neighbours.Length)
        {
            return $"{shares.Count} shares for {neighbours.Length} neighbours.";
        }

        var seen = new HashSet<int>();
        foreach (EncryptedShare share in shares)
        {
            if (share.From != from || Array.BinarySearch(neighbours, share.To) < 0 || !seen.Add(share.To))
            {
                return $"a share {share.From}→{share.To} is not from this client to one of its neighbours, or repeats.";
            }
        }

        return null;
    }

    private static void Account(SecureStageResult result, List<ClientFailure> failures, ref long bytesDown, ref long bytesUp)
    {
        failures.AddRange(result.Failures);
        bytesDown += result.BytesDown;
        bytesUp += result.BytesUp;
    }

    private static bool Reject(string id, ClientMessage reply, string? problem, List<ClientFailure> failures)
    {
        if (problem is null)
        {
            return false;
        }

        failures.Add(new ClientFailure(id, reply is ErrorReply ? ClientFailureKind.Error : ClientFailureKind.Rejected, problem));
        return true;
    }
}
