using System.Buffers;
using System.Globalization;
using System.Numerics.Tensors;
using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.CenteredClipping;

/// <summary>
/// Centered clipping: v ← v + (1/n)·Σ (xᵢ − v)·min(1, τ/‖xᵢ − v‖), L times per call, with the centre v kept from one
/// call to the next (it starts at zero). The result is the new centre. Client weights are ignored.
/// </summary>
/// <remarks>
/// <para>Karimireddy, He and Jaggi 2021, "Learning from History for Byzantine Robust Optimization".</para>
/// <para>Thread-safe: calls are serialised, since each one moves the centre. Scores are each client's distance to the
/// centre it was clipped against in the last iteration; nobody is excluded. The sum runs in client-id order, so the
/// result is bit-identical for any order of the updates. A call with another vector length restarts from zero.</para>
/// </remarks>
public sealed class CenteredClippingAggregator : IAggregator
{
    private readonly Lock _gate = new();
    private readonly double _tau;
    private readonly int _iterations;
    private float[]? _center;

    /// <summary>Creates the aggregator with its centre at zero.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public CenteredClippingAggregator(CenteredClippingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(CenteredClippingOptions));
        _tau = options.Tau;
        _iterations = options.Iterations;
        Name = "cclip:" + _tau.ToString(CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    /// <value><c>cclip:&lt;tau&gt;</c>.</value>
    public string Name { get; }

    /// <summary>A copy of the current centre (empty before the first call).</summary>
    public float[] GetCenter()
    {
        lock (_gate)
        {
            return _center is null ? [] : (float[])_center.Clone();
        }
    }

    /// <summary>Moves the centre back to zero.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _center = null;
        }
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The updates are invalid (no updates, duplicate ids, a wrong length, a non-finite value).</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination)
    {
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        lock (_gate)
        {
            if (_center is null || _center.Length != set.Length)
            {
                _center = new float[set.Length];
            }

            float[] center = _center;
            double[] distances = new double[n];
            float[] rented = ArrayPool<float>.Shared.Rent(2 * set.Length);
            try
            {
                Span<float> difference = rented.AsSpan(0, set.Length);
                Span<float> step = rented.AsSpan(set.Length, set.Length);
                for (int iteration = 0; iteration < _iterations; iteration++)
                {
                    step.Clear();
                    for (int i = 0; i < n; i++)
                    {
                        TensorPrimitives.Subtract(set.Rows[i].Span, center, difference);
                        distances[i] = VectorMath.Norm(difference);
                        double scale = distances[i] > _tau ? _tau / distances[i] : 1.0;
                        TensorPrimitives.MultiplyAdd(difference, (float)(scale / n), step, step);
                    }

                    TensorPrimitives.Add(center, step, center);
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(rented);
            }

            center.CopyTo(destination);
            var scores = new ClientScore[n];
            for (int i = 0; i < n; i++)
            {
                scores[i] = new ClientScore(set.Ids[i], distances[i]);
            }

            return new AggregationResult(scores, []);
        }
    }
}
