using System.Buffers;
using System.Numerics.Tensors;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// The shared core of the client-level DP wrappers: clip a copy of every update to C, average the copies with equal
/// weights through the inner aggregator, and rescale to a fixed denominator when one is given.
/// </summary>
internal static class ClippedAggregation
{
    /// <summary>Aggregates clipped copies of <paramref name="updates"/> into <paramref name="destination"/>.</summary>
    /// <param name="inner">The inner aggregator; it sees weight 1 for every update.</param>
    /// <param name="updates">The clients' updates; not modified.</param>
    /// <param name="destination">Receives the aggregate.</param>
    /// <param name="clippingNorm">C.</param>
    /// <param name="fixedDenominator">m̂, or null to divide by the number of updates.</param>
    /// <param name="unclipped">When not empty, receives for each update whether its norm was ≤ C before clipping.</param>
    /// <param name="context">What the server removed before aggregation; passed to <paramref name="inner"/>.</param>
    /// <returns>The inner aggregator's result and the denominator used.</returns>
    public static (AggregationResult Result, double Denominator) Aggregate(
        IAggregator inner,
        IReadOnlyList<WeightedUpdate> updates,
        Span<float> destination,
        double clippingNorm,
        double? fixedDenominator,
        Span<bool> unclipped,
        AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            throw new ArgumentException("Differentially private aggregation needs at least one update but got none.", nameof(updates));
        }

        for (int i = 0; i < updates.Count; i++)
        {
            if (updates[i].Values.Length != destination.Length)
            {
                throw new ArgumentException(
                    $"The update of client '{updates[i].ClientId ?? $"#{i}"}' has {updates[i].Values.Length} values but the destination has {destination.Length}.",
                    nameof(updates));
            }
        }

        int length = destination.Length;
        var rented = new float[updates.Count][];
        try
        {
            var clipped = new WeightedUpdate[updates.Count];
            for (int i = 0; i < updates.Count; i++)
            {
                rented[i] = ArrayPool<float>.Shared.Rent(length);
                Span<float> copy = rented[i].AsSpan(0, length);
                updates[i].Values.Span.CopyTo(copy);
                double norm = L2Clipping.ClipInPlace(copy, clippingNorm);
                if (!unclipped.IsEmpty)
                {
                    unclipped[i] = norm <= clippingNorm;
                }

                // Equal weights: with example-count weights one client could own most of the average and the
                // sensitivity would no longer be C/m.
                clipped[i] = new WeightedUpdate(updates[i].ClientId, rented[i].AsMemory(0, length), 1.0);
            }

            AggregationResult result = inner.Aggregate(clipped, destination, context);
            double denominator = updates.Count;
            if (fixedDenominator is double expected)
            {
                // The inner average is Σ clip(Δᵢ)/m; the fixed-denominator estimator is Σ clip(Δᵢ)/m̂.
                TensorPrimitives.Multiply(destination, (float)(updates.Count / expected), destination);
                denominator = expected;
            }

            return (result, denominator);
        }
        finally
        {
            foreach (float[]? array in rented)
            {
                if (array is not null)
                {
                    ArrayPool<float>.Shared.Return(array);
                }
            }
        }
    }
}
