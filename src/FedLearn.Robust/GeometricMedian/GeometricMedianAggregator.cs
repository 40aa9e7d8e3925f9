using FedLearn.Options;
using FedLearn.Robust.Kernels;

namespace FedLearn.Robust.GeometricMedian;

/// <summary>
/// Geometric median by the smoothed Weiszfeld iteration (RFA): the point z minimising Σ‖xᵢ − z‖, reached by
/// z ← Σ βᵢxᵢ / Σ βᵢ with βᵢ = 1/max(ν, ‖xᵢ − z‖), starting from the mean. Client weights are ignored.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <para>Pillutla, Kakade and Harchaoui 2022, "Robust Aggregation for Federated Learning". Breakdown point 1/2.</para>
/// <para>Every iterate is a combination Σ cⱼxⱼ of the updates, so ‖xᵢ − z‖² = Gᵢᵢ − 2(Gc)ᵢ + cᵀGc follows from the
/// Gram matrix G computed once in cache-sized blocks; an iteration then costs O(n²) instead of a pass over all
/// updates, and only the final combination touches the vectors again. Scores are each client's distance to the
/// median; nobody is excluded. Bit-identical for any order of the updates.</para>
/// </remarks>
public sealed class GeometricMedianAggregator : IAggregator
{
    private readonly GeometricMedianOptions _options;

    /// <summary>Creates the aggregator with default settings.</summary>
    public GeometricMedianAggregator()
        : this(new GeometricMedianOptions())
    {
    }

    /// <summary>Creates the aggregator.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public GeometricMedianAggregator(GeometricMedianOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(GeometricMedianOptions));
        _options = new GeometricMedianOptions
        {
            MaxIterations = options.MaxIterations,
            Tolerance = options.Tolerance,
            Smoothing = options.Smoothing,
        };
    }

    /// <inheritdoc />
    /// <value><c>geomed</c>.</value>
    public string Name => "geomed";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The updates are invalid (no updates, duplicate ids, a wrong length, a non-finite value).</exception>
    public AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination)
    {
        UpdateSet set = UpdateSet.Create(updates, destination, Name);
        int n = set.Count;
        double[] gram = GramMatrix.ComputeCentered(set.Rows, set.Length);
        double[] c = new double[n];
        Array.Fill(c, 1.0 / n);
        double[] distances = new double[n];
        double objective = Distances(gram, c, distances);
        int iterations = 0;
        while (iterations < _options.MaxIterations)
        {
            iterations++;
            double total = 0;
            for (int i = 0; i < n; i++)
            {
                c[i] = 1.0 / Math.Max(_options.Smoothing, distances[i]);
                total += c[i];
            }

            for (int i = 0; i < n; i++)
            {
                c[i] /= total;
            }

            double next = Distances(gram, c, distances);
            bool converged = Math.Abs(objective - next) <= _options.Tolerance * next;
            objective = next;
            if (converged)
            {
                break;
            }
        }

        VectorMath.Combine(set.Rows, c, destination);
        var scores = new ClientScore[n];
        for (int i = 0; i < n; i++)
        {
            scores[i] = new ClientScore(set.Ids[i], distances[i]);
        }

        return new AggregationResult(scores, []);
    }

    // distances[i] ← ‖xᵢ − Σ cⱼxⱼ‖ from the Gram matrix (translation-invariant since Σ cⱼ = 1); returns their sum.
    private static double Distances(double[] gram, double[] c, double[] distances)
    {
        int n = c.Length;
        Span<double> gc = n <= 256 ? stackalloc double[n] : new double[n];
        double cgc = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < n; j++)
            {
                s += gram[(i * n) + j] * c[j];
            }

            gc[i] = s;
            cgc += c[i] * s;
        }

        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            distances[i] = Math.Sqrt(Math.Max(0, gram[(i * n) + i] - (2 * gc[i]) + cgc));
            sum += distances[i];
        }

        return sum;
    }
}
