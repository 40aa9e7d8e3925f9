using System.Globalization;
using System.Numerics.Tensors;

namespace FedLearn.Robust.Kernels;

/// <summary>
/// The validated updates of one aggregation call in canonical order (client ids sorted ordinally), so every rule that
/// works on an <see cref="UpdateSet"/> gives bit-identical results whatever order the caller passed the updates in.
/// </summary>
/// <remarks>Holds references to the caller's vectors; never writes to them.</remarks>
internal sealed class UpdateSet
{
    private UpdateSet(string[] ids, ReadOnlyMemory<float>[] rows, double[] weights, int length)
    {
        Ids = ids;
        Rows = rows;
        Weights = weights;
        Length = length;
    }

    /// <summary>Client ids in canonical order.</summary>
    public string[] Ids { get; }

    /// <summary>The update vectors, in the order of <see cref="Ids"/>.</summary>
    public ReadOnlyMemory<float>[] Rows { get; }

    /// <summary>The weights the clients reported, in the order of <see cref="Ids"/> (passed through by pre-aggregators).</summary>
    public double[] Weights { get; }

    /// <summary>Number of updates.</summary>
    public int Count => Rows.Length;

    /// <summary>Length of every vector.</summary>
    public int Length { get; }

    /// <summary>
    /// Checks <paramref name="updates"/> for <paramref name="rule"/> and puts them in canonical order: at least one update,
    /// distinct non-empty ids, every vector of the destination's length, finite and not overlapping the destination.
    /// Weights are not used by the robust rules (a Byzantine client can claim any example count) and are not checked.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="updates"/> is null.</exception>
    /// <exception cref="ArgumentException">Any check failed; the message names the rule and the client.</exception>
    public static UpdateSet Create(IReadOnlyList<WeightedUpdate> updates, ReadOnlySpan<float> destination, string rule)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            throw new ArgumentException($"Aggregator '{rule}' needs at least one update but got none.", nameof(updates));
        }

        var seen = new HashSet<string>(updates.Count, StringComparer.Ordinal);
        for (int i = 0; i < updates.Count; i++)
        {
            WeightedUpdate update = updates[i];
            if (string.IsNullOrEmpty(update.ClientId))
            {
                throw new ArgumentException($"Aggregator '{rule}': update #{i} has no client id.", nameof(updates));
            }

            if (!seen.Add(update.ClientId))
            {
                throw new ArgumentException($"Aggregator '{rule}': client '{update.ClientId}' sent more than one update.", nameof(updates));
            }

            CheckVector(update.ClientId, update.Values.Span, destination, rule);
        }

        int[] order = new int[updates.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => string.CompareOrdinal(updates[a].ClientId, updates[b].ClientId));
        string[] ids = new string[order.Length];
        var rows = new ReadOnlyMemory<float>[order.Length];
        double[] weights = new double[order.Length];
        for (int k = 0; k < order.Length; k++)
        {
            ids[k] = updates[order[k]].ClientId;
            rows[k] = updates[order[k]].Values;
            weights[k] = updates[order[k]].Weight;
        }

        return new UpdateSet(ids, rows, weights, destination.Length);
    }

    /// <summary>Throws unless <paramref name="f"/> satisfies n &gt; <paramref name="factor"/>·f + <paramref name="offset"/>.</summary>
    /// <param name="factor">The bound's factor of f.</param>
    /// <param name="f">The Byzantine updates to tolerate among these, after <paramref name="context"/> is counted.</param>
    /// <param name="offset">The bound's constant.</param>
    /// <param name="rule">The aggregator's name, for the message.</param>
    /// <param name="bound">The bound as text, for the message.</param>
    /// <param name="context">When given and it removed faulty replies, the message says that f was lowered by them.</param>
    public void RequireMoreThan(int factor, int f, int offset, string rule, string bound, AggregationContext? context = null)
    {
        if (Count <= ((long)factor * f) + offset)
        {
            string lowered = context is { RemovedFaulty: > 0 } c
                ? $" (its configured f less the {c.RemovedFaulty} replies removed as certainly faulty)"
                : string.Empty;
            throw new ArgumentException(
                $"Aggregator '{rule}' tolerates f = {f} Byzantine clients{lowered} only with {bound}, i.e. at least {((long)factor * f) + offset + 1} updates, but got {Count}.",
                "updates");
        }
    }

    /// <summary>The Euclidean distance of every row to <paramref name="point"/>, as client scores.</summary>
    public IReadOnlyList<ClientScore> DistancesTo(ReadOnlySpan<float> point)
    {
        var scores = new ClientScore[Count];
        for (int i = 0; i < Count; i++)
        {
            scores[i] = new ClientScore(Ids[i], Length == 0 ? 0 : TensorPrimitives.Distance(Rows[i].Span, point));
        }

        return scores;
    }

    private static void CheckVector(string client, ReadOnlySpan<float> values, ReadOnlySpan<float> destination, string rule)
    {
        if (values.Length != destination.Length)
        {
            throw new ArgumentException(
                $"Aggregator '{rule}': the update of client '{client}' has {values.Length} values but the destination has {destination.Length}.",
                "updates");
        }

        if (values.Overlaps(destination))
        {
            throw new ArgumentException($"Aggregator '{rule}': the update of client '{client}' shares memory with the destination.", "updates");
        }

        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values))
        {
            return;
        }

        for (int j = 0; j < values.Length; j++)
        {
            if (!float.IsFinite(values[j]))
            {
                throw new ArgumentException(
                    $"Aggregator '{rule}': the update of client '{client}' has a non-finite value ({values[j].ToString(CultureInfo.InvariantCulture)}) at index {j}; screen non-finite updates out before aggregation.",
                    "updates");
            }
        }
    }
}
