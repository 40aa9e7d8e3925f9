using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace FedLearn.Aggregation;

/// <summary>
/// Federated averaging: the example-weighted mean Σ wᵢxᵢ / Σ wᵢ of the clients' deltas, every client kept.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized Data".</para>
/// <para>The sum runs in the given order, in double precision, over the normalised weights pᵢ = wᵢ / Σ wⱼ, and is
/// rounded to single precision once at the end. The same updates in the same order therefore give bit-identical
/// results on every machine (the vector and scalar paths do the same correctly rounded operations); another order
/// changes the result by at most a few units in the last place. Averaging identical updates returns that update
/// exactly.</para>
/// </remarks>
public sealed class FederatedAveraging : IAggregator
{
    /// <inheritdoc />
    /// <value><c>fedavg</c>.</value>
    public string Name => "fedavg";

    /// <inheritdoc />
    /// <returns><see cref="AggregationResult.Empty"/>: FedAvg scores nobody and excludes nobody.</returns>
    /// <exception cref="ArgumentException">See <see cref="Average"/>.</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination)
    {
        Average(updates, destination);
        return AggregationResult.Empty;
    }

    /// <summary>
    /// Writes the weighted mean Σ wᵢxᵢ / Σ wᵢ of <paramref name="updates"/> into <paramref name="destination"/>.
    /// Pure: reads the updates, writes only the destination, which is left untouched when the input is invalid.
    /// </summary>
    /// <param name="updates">At least one update; every vector has the destination's length, finite values and a positive finite weight.</param>
    /// <param name="destination">Receives the mean; fully overwritten. May not overlap an update.</param>
    /// <exception cref="ArgumentNullException"><paramref name="updates"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// There are no updates, or an update has the wrong length, a weight that is not positive and finite, a non-finite
    /// value, or shares memory with the destination; the message names the client. Also when the weights sum to infinity.
    /// </exception>
    public static void Average(IReadOnlyList<WeightedUpdate> updates, Span<float> destination)
    {
        double totalWeight = Validate(updates, destination);
        int length = destination.Length;
        double[] rented = ArrayPool<double>.Shared.Rent(length);
        try
        {
            Span<double> sum = rented.AsSpan(0, length);
            sum.Clear();
            for (int i = 0; i < updates.Count; i++)
            {
                AccumulateScaled(updates[i].Values.Span, updates[i].Weight / totalWeight, sum);
            }

            NarrowToSingle(sum, destination);
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rented);
        }
    }

    private static double Validate(IReadOnlyList<WeightedUpdate> updates, ReadOnlySpan<float> destination)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0)
        {
            throw new ArgumentException("Federated averaging needs at least one update but got none.", nameof(updates));
        }

        double totalWeight = 0;
        for (int i = 0; i < updates.Count; i++)
        {
            WeightedUpdate update = updates[i];
            string client = update.ClientId ?? $"#{i}";
            if (update.Values.Length != destination.Length)
            {
                throw new ArgumentException(
                    $"The update of client '{client}' has {update.Values.Length} values but the destination has {destination.Length}.",
                    nameof(updates));
            }

            if (!(update.Weight > 0) || !double.IsFinite(update.Weight))
            {
                throw new ArgumentException(
                    $"The update of client '{client}' has weight {update.Weight.ToString(CultureInfo.InvariantCulture)}; weights must be positive and finite.",
                    nameof(updates));
            }

            ReadOnlySpan<float> values = update.Values.Span;
            if (values.Overlaps(destination))
            {
                throw new ArgumentException($"The update of client '{client}' shares memory with the destination.", nameof(updates));
            }

            int index = IndexOfNonFinite(values);
            if (index >= 0)
            {
                throw new ArgumentException(
                    $"The update of client '{client}' has a non-finite value ({values[index].ToString(CultureInfo.InvariantCulture)}) at index {index}.",
                    nameof(updates));
            }

            totalWeight += update.Weight;
        }

        if (!double.IsFinite(totalWeight))
        {
            throw new ArgumentException("The weights of the updates sum to infinity; scale them down.", nameof(updates));
        }

        return totalWeight;
    }

    // sum[j] ← sum[j] + scale·(double)x[j] for every j. The vector body widens float to double and does the same
    // separate multiply and add as the scalar tail (no fused multiply-add), so both give bit-identical results.
    private static void AccumulateScaled(ReadOnlySpan<float> x, double scale, Span<double> sum)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && x.Length >= Vector<float>.Count)
        {
            var factor = new Vector<double>(scale);
            int last = x.Length - Vector<float>.Count;
            for (; j <= last; j += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(x[j..]), out Vector<double> low, out Vector<double> high);
                Span<double> target = sum[j..];
                (new Vector<double>(target) + (factor * low)).CopyTo(target);
                Span<double> upper = target[Vector<double>.Count..];
                (new Vector<double>(upper) + (factor * high)).CopyTo(upper);
            }
        }

        for (; j < x.Length; j++)
        {
            sum[j] += scale * x[j];
        }
    }

    private static void NarrowToSingle(ReadOnlySpan<double> source, Span<float> destination)
    {
        for (int j = 0; j < source.Length; j++)
        {
            destination[j] = (float)source[j];
        }
    }

    // The index of the first NaN or infinity, or −1. (TensorPrimitives.IsFiniteAll is the fast path; it is false
    // for an empty span, hence the explicit check.)
    private static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values))
        {
            return -1;
        }

        for (int i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
