using System.Numerics.Tensors;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport;
using Microsoft.Extensions.Logging;

namespace FedLearn.Privacy.SecureAggregation;

public sealed partial class SecAggPlusServer
{
    /// <inheritdoc />
    public async Task<SecureAggregationResult> AggregateAsync(int round, IReadOnlyList<ClientUpdate> updates, Memory<float> destination, ISecureAggregationStages stages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(stages);
        SecAggPlusRoundState? state = _state;
        _state = null;
        if (state is null || state.Round != round)
        {
            return new SecureAggregationResult { Succeeded = false, FailureReason = $"no key set-up was completed for round {round}." };
        }

        SecAggPlusParameters parameters = state.Parameters;
        if (destination.Length != parameters.ModelLength)
        {
            throw new ArgumentException($"destination has {destination.Length} values; the round was set up for {parameters.ModelLength}.", nameof(destination));
        }

        // Masked input collection: sum what arrived from clients that shared their keys.
        var failures = new List<ClientFailure>();
        var sum = new uint[parameters.ModelLength + 1];
        var survivors = new SortedSet<int>();
        foreach (ClientUpdate update in updates)
        {
            string? problem =
                !state.IndexOf.TryGetValue(update.ClientId, out int index) || !state.Shared[index] ? "the client did not share its keys this round." :
                update.Payload is not MaskedUpdatePayload masked ? $"expected a masked input but got {update.Payload.GetType().Name}." :
                masked.Values.Length != sum.Length ? $"the masked input has {masked.Values.Length} words, expected {sum.Length}." :
                !survivors.Add(index) ? "a second masked input (replayed)." :
                null;
            if (problem is not null)
            {
                failures.Add(new ClientFailure(update.ClientId, ClientFailureKind.Rejected, problem));
                continue;
            }

            TensorPrimitives.Add(sum, ((MaskedUpdatePayload)update.Payload).Values, sum);
        }

        int[] dropped = Enumerable.Range(1, state.Clients.Count).Where(i => state.Shared[i] && !survivors.Contains(i)).ToArray();
        int threshold = parameters.ReconstructionThreshold;
        if (survivors.Count < threshold)
        {
            return new SecureAggregationResult { Succeeded = false, Failures = failures, FailureReason = $"only {survivors.Count} masked inputs arrived; the reconstruction threshold is {threshold}." };
        }

        // Unmasking: survivors reveal self-mask shares of survivors and masking-key shares of the dropped.
        string[] stage5 = survivors.Select(i => state.Clients[i - 1]).ToArray();
        var request = new UnmaskRequest(round, [.. survivors], dropped);
        SecureStageResult revealed = await stages.ExchangeAsync(stage5, _ => request, stage5.Length, cancellationToken).ConfigureAwait(false);
        failures.AddRange(revealed.Failures);
        var shares = new Dictionary<int, List<(int Holder, ulong[] Limbs)>>();
        var droppedSet = new HashSet<int>(dropped);
        foreach ((string id, ClientMessage reply) in revealed.Replies)
        {
            int holder = state.IndexOf[id];
            string? problem = reply switch
            {
                ErrorReply error => error.Error,
                UnmaskReply unmask when unmask.ClientId != id || unmask.Round != round => $"shares for '{unmask.ClientId}' in round {unmask.Round} (replayed or misrouted).",
                UnmaskReply unmask => CheckRevealed(holder, unmask.Shares, survivors, droppedSet, state),
                _ => $"expected revealed shares but got {reply.GetType().Name}.",
            };
            if (Reject(id, reply, problem, failures))
            {
                continue;
            }

            foreach (RevealedShare share in ((UnmaskReply)reply).Shares)
            {
                (shares.TryGetValue(share.Owner, out List<(int, ulong[])>? list) ? list : shares[share.Owner] = []).Add((holder, share.Limbs));
            }
        }

        var missing = survivors.Concat(dropped)
            .Select(owner => (Owner: owner, Count: shares.TryGetValue(owner, out List<(int, ulong[])>? list) ? list.Count : 0))
            .Where(p => p.Count < threshold)
            .ToArray();
        if (missing.Length > 0)
        {
            string list = string.Join(", ", missing.Take(5).Select(m => $"'{state.Clients[m.Owner - 1]}' ({(droppedSet.Contains(m.Owner) ? "dropped, masking key" : "self mask")}: {m.Count} shares)"));
            return new SecureAggregationResult
            {
                Succeeded = false,
                Failures = failures,
                BytesDown = revealed.BytesDown,
                BytesUp = revealed.BytesUp,
                FailureReason = $"{missing.Length} clients' masks cannot be removed: fewer than the reconstruction threshold of {threshold} shares came back for {list}{(missing.Length > 5 ? ", ..." : string.Empty)}; the round is aborted.",
            };
        }

        RemoveMasks(round, sum, survivors, dropped, shares, state);
        uint modulusMask = parameters.ModulusMask;
        for (int i = 0; i < sum.Length; i++)
        {
            sum[i] &= modulusMask;
        }

        long totalWeight = sum[^1];
        if (totalWeight <= 0)
        {
            return new SecureAggregationResult { Succeeded = false, Failures = failures, FailureReason = "the unmasked weights sum to zero." };
        }

        FixedPointQuantizer.DequantizeSum(sum.AsSpan(0, parameters.ModelLength), survivors.Count, parameters.ClippingRange, parameters.QuantizationRange, (double)totalWeight / parameters.MaxWeight, destination.Span);
        _logger.LogDebug("SecAgg+ round {Round}: unmasked {Survivors} inputs, recovered {Dropped} dropped clients", round, survivors.Count, dropped.Length);
        return new SecureAggregationResult
        {
            Succeeded = true,
            Aggregated = stage5,
            Failures = failures,
            BytesDown = revealed.BytesDown,
            BytesUp = revealed.BytesUp,
        };
    }

    /// <summary>
    /// Subtracts each survivor's self mask and cancels the pairwise masks survivors share with dropped clients. The mask
    /// streams are independent, so they run in parallel into per-thread sums, added at the end (exact mod 2^32).
    /// </summary>
    internal static void RemoveMasks(int round, uint[] sum, IEnumerable<int> survivors, int[] dropped, Dictionary<int, List<(int Holder, ulong[] Limbs)>> shares, SecAggPlusRoundState state)
    {
        int threshold = state.Parameters.ReconstructionThreshold;
        var survivorSet = new HashSet<int>(survivors);
        var jobs = new List<(byte[] Seed, int Sign)>();
        var jobsLock = new object();
        byte[] Reconstruct(int owner, int bytes)
        {
            List<(int Holder, ulong[] Limbs)> list = shares[owner];
            int[] holders = list.Take(threshold).Select(s => s.Holder).ToArray();
            return ShamirSecretSharing.Combine(holders, list.Take(threshold).Select(s => s.Limbs).ToArray(), bytes);
        }

        foreach (int owner in survivorSet)
        {
            jobs.Add((Reconstruct(owner, 32), -1));
        }

        Parallel.ForEach(dropped, owner =>
        {
            byte[] privateKey = Reconstruct(owner, 32);
            using System.Security.Cryptography.ECDiffieHellman key = KeyAgreement.ImportKeyPair(privateKey, state.MaskingKeys[owner]!);
            foreach (int partner in state.Neighbours[owner].Where(survivorSet.Contains))
            {
                // The survivor added +PRG when owner < partner and −PRG otherwise; undo it.
                byte[] seed = KeyAgreement.DeriveKey(key, state.MaskingKeys[partner]!, "mask", round);
                lock (jobsLock)
                {
                    jobs.Add((seed, owner < partner ? -1 : +1));
                }
            }
        });

        int workers = Math.Max(1, Math.Min(Environment.ProcessorCount, jobs.Count));
        var partials = new uint[workers][];
        Parallel.For(0, workers, w =>
        {
            var local = new uint[sum.Length];
            for (int j = w; j < jobs.Count; j += workers)
            {
                MaskGenerator.Apply(jobs[j].Seed, local, jobs[j].Sign);
            }

            partials[w] = local;
        });
        foreach (uint[] local in partials)
        {
            TensorPrimitives.Add(sum, local, sum);
        }
    }

    private static string? CheckRevealed(int holder, IReadOnlyList<RevealedShare> revealed, SortedSet<int> survivors, HashSet<int> dropped, SecAggPlusRoundState state)
    {
        var owners = new HashSet<int>();
        int limbs = ShamirSecretSharing.LimbCount(32);
        foreach (RevealedShare share in revealed)
        {
            bool expectedKind = share.Kind == (dropped.Contains(share.Owner) ? ShareKind.MaskingKey : ShareKind.SelfMaskSeed);
            bool holds = share.Owner == holder || state.AreNeighbours(share.Owner, holder);
            if (!(survivors.Contains(share.Owner) || dropped.Contains(share.Owner)) || !expectedKind || !holds || !owners.Add(share.Owner) || share.Limbs.Length != limbs)
            {
                return $"a revealed share of client {share.Owner} ({share.Kind}) is not one this client holds for this round, or repeats.";
            }
        }

        return null;
    }
}
