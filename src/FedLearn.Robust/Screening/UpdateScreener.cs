using System.Globalization;
using System.Numerics.Tensors;
using FedLearn.Options;
using FedLearn.Robust.Kernels;
using FedLearn.Robust.Median;

namespace FedLearn.Robust.Screening;

/// <summary>
/// Screens a round's updates before aggregation: updates with NaN or infinite values are always flagged and excluded;
/// among the finite ones, an update is flagged when its norm is an outlier (modified z-score against the median and
/// MAD of the norms, or, with <see cref="NormModel.ExampleCount"/>, of each norm's ratio to the typical norm of its
/// reported example count), when its cosine similarity to the robust centre (the coordinate-wise median) is negative or far below the others', or when it is aligned with no other update (noise). Flagged updates are excluded when <see cref="UpdateScreenerOptions.ExcludeFlagged"/> is set.
/// </summary>
/// <remarks>
/// <para>Statistics need at least three finite updates; with fewer, only non-finite values are flagged. Flags are
/// listed in client-id order, at most one per client, and the result does not depend on the order of the updates.
/// Thread-safe; when a <see cref="ClientReputation"/> is given, every round's flags are recorded in it.</para>
/// <para>Non-finite values (and, with <see cref="NormModel.ExampleCount"/>, a count that is not positive) prove the
/// client faulty: those flags set <see cref="ClientFlag.CertainlyFaulty"/>, and the server counts them against the f
/// of a robust aggregator behind the screener (<see cref="AggregationContext.RemovedFaulty"/>). Statistical flags can
/// hit honest clients and do not.</para>
/// </remarks>
public sealed class UpdateScreener : IUpdateScreener
{
    private const double MadToSigma = 1.4826;
    private readonly UpdateScreenerOptions _options;
    private readonly ClientReputation? _reputation;

    /// <summary>Creates a screener with default settings.</summary>
    public UpdateScreener()
        : this(new UpdateScreenerOptions())
    {
    }

    /// <summary>Creates a screener.</summary>
    /// <param name="options">Thresholds and whether to exclude.</param>
    /// <param name="reputation">Where to record each round's flags; null records nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; every problem is listed.</exception>
    public UpdateScreener(UpdateScreenerOptions options, ClientReputation? reputation = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(UpdateScreenerOptions));
        _options = new UpdateScreenerOptions
        {
            NormThreshold = options.NormThreshold,
            CosineThreshold = options.CosineThreshold,
            AlignmentSigmas = options.AlignmentSigmas,
            MinCosine = options.MinCosine,
            NormModel = options.NormModel,
            FlagByReputation = options.FlagByReputation,
            ExcludeFlagged = options.ExcludeFlagged,
        };
        _reputation = reputation;
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="updates"/> is null.</exception>
    /// <exception cref="ArgumentException">Two updates have the same client id, or the vectors differ in length.</exception>
    public IReadOnlyList<ClientFlag> Screen(int round, IReadOnlyList<WeightedUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        WeightedUpdate[] ordered = updates.OrderBy(u => u.ClientId, StringComparer.Ordinal).ToArray();
        for (int i = 1; i < ordered.Length; i++)
        {
            if (string.Equals(ordered[i].ClientId, ordered[i - 1].ClientId, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Screening: client '{ordered[i].ClientId}' sent more than one update in round {round}.", nameof(updates));
            }

            if (ordered[i].Values.Length != ordered[0].Values.Length)
            {
                throw new ArgumentException(
                    $"Screening: the update of client '{ordered[i].ClientId}' has {ordered[i].Values.Length} values but that of '{ordered[0].ClientId}' has {ordered[0].Values.Length}.",
                    nameof(updates));
            }
        }

        var flags = new List<ClientFlag>();
        var finite = new List<WeightedUpdate>(ordered.Length);
        foreach (WeightedUpdate update in ordered)
        {
            int nonFinite = CountNonFinite(update.Values.Span);
            if (nonFinite > 0)
            {
                flags.Add(new ClientFlag(update.ClientId, nonFinite, $"{nonFinite} non-finite values", Exclude: true) { CertainlyFaulty = true });
            }
            else if (_options.NormModel == NormModel.ExampleCount && !(update.Weight > 0 && double.IsFinite(update.Weight)))
            {
                // The norm model takes the logarithm of the count, and FedAvg rejects such a weight anyway.
                flags.Add(new ClientFlag(
                    update.ClientId,
                    double.PositiveInfinity,
                    string.Create(CultureInfo.InvariantCulture, $"reported example count {update.Weight} is not positive and finite"),
                    Exclude: true)
                { CertainlyFaulty = true });
            }
            else
            {
                finite.Add(update);
            }
        }

        if (finite.Count >= UpdateScreenerDefaults.MinimumForStatistics)
        {
            flags.AddRange(ScreenStatistics(finite));
        }

        flags.Sort((a, b) => string.CompareOrdinal(a.ClientId, b.ClientId));
        _reputation?.Record(round, flags);
        if (_options.FlagByReputation && _reputation is not null)
        {
            // Decided on the record before this round, so that this round's own flags do not count twice.
            var flagged = new HashSet<string>(flags.Select(f => f.ClientId), StringComparer.Ordinal);
            foreach (WeightedUpdate update in finite)
            {
                if (!flagged.Contains(update.ClientId) && !_reputation.IsEligible(update.ClientId, round))
                {
                    int count = _reputation.CountFlagsBefore(update.ClientId, round);
                    flags.Add(new ClientFlag(update.ClientId, count, $"flagged in {count} of the last {_reputation.Window} rounds", _options.ExcludeFlagged));
                }
            }

            flags.Sort((a, b) => string.CompareOrdinal(a.ClientId, b.ClientId));
        }

        return flags;
    }

    private List<ClientFlag> ScreenStatistics(List<WeightedUpdate> finite)
    {
        int n = finite.Count;
        int length = finite[0].Values.Length;
        double[] norms = new double[n];
        for (int i = 0; i < n; i++)
        {
            norms[i] = VectorMath.Norm(finite[i].Values.Span);
        }

        (double[] cosines, bool[] hasCenter) = CosinesToCenter(finite, norms, length);

        // Only a cosine below the others' is suspicious: the z-score is one-sided.
        double[] cosineZ = ModifiedZ(cosines, cosines);
        double chance = length == 0 ? 0 : _options.AlignmentSigmas / Math.Sqrt(length);
        double[] bestPeer = BestPeerCosines(finite, length);
        bool[] unaligned = new bool[n];
        bool[] opposed = new bool[n];
        bool[] misaligned = new bool[n];
        for (int i = 0; i < n; i++)
        {
            unaligned[i] = length > 0 && bestPeer[i] <= chance;
            opposed[i] = hasCenter[i] && cosines[i] < (_options.MinCosine ?? double.NegativeInfinity);
            misaligned[i] = unaligned[i] || opposed[i] || (hasCenter[i] && -cosineZ[i] > _options.CosineThreshold);
        }

        // The norm statistics come from the updates that point the right way: attackers that all send vectors of
        // one length (Gaussian noise) would otherwise shrink the MAD and push long honest updates over the threshold.
        bool enoughAligned = misaligned.Count(m => !m) >= UpdateScreenerDefaults.MinimumForStatistics;
        bool[] reference = misaligned.Select(m => !enoughAligned || !m).ToArray();
        (double[] Z, double[] Expected, double Slope)? fit = _options.NormModel == NormModel.ExampleCount
            ? ExampleCountNormFit.Score(norms, finite.Select(u => u.Weight).ToArray(), reference, _options.NormThreshold)
            : null;
        double[] normZ = fit?.Z ?? ModifiedZ(norms, norms.Where((_, i) => reference[i]).ToArray());
        var flags = new List<ClientFlag>();
        for (int i = 0; i < n; i++)
        {
            bool longOrShort = Math.Abs(normZ[i]) > _options.NormThreshold;
            ScreeningTelemetry.AnomalyScore.Record(Math.Abs(normZ[i]), new KeyValuePair<string, object?>(ScreeningTelemetry.StatisticTag, "norm"));
            if (hasCenter[i])
            {
                ScreeningTelemetry.AnomalyScore.Record(Math.Max(-cosineZ[i], 0), new KeyValuePair<string, object?>(ScreeningTelemetry.StatisticTag, "cosine"));
            }

            if (!longOrShort && !misaligned[i])
            {
                continue;
            }

            var reasons = new List<string>(2);
            if (longOrShort)
            {
                reasons.Add(fit is { } f
                    ? string.Create(CultureInfo.InvariantCulture, $"norm {norms[i]:G4} against {f.Expected[i]:G4} expected for {finite[i].Weight:G6} examples has z-score {normZ[i]:F1}")
                    : string.Create(CultureInfo.InvariantCulture, $"norm {norms[i]:G4} has z-score {normZ[i]:F1}"));
            }

            if (unaligned[i])
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"largest cosine to another update {bestPeer[i]:F3} is not above chance ({chance:F3})"));
            }

            if (opposed[i])
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"cosine to the robust centre {cosines[i]:F3} is below {_options.MinCosine:F3}"));
            }
            else if (misaligned[i] && !unaligned[i])
            {
                reasons.Add(string.Create(CultureInfo.InvariantCulture, $"cosine to the robust centre {cosines[i]:F3} has z-score {cosineZ[i]:F1}"));
            }

            double score = Math.Max(Math.Abs(normZ[i]), misaligned[i] ? Math.Max(-cosineZ[i], 0) : 0);
            flags.Add(new ClientFlag(finite[i].ClientId, score, string.Join("; ", reasons), _options.ExcludeFlagged));
        }

        return flags;
    }

    // The largest cosine of every update to any other, from the blocked Gram matrix.
    private static double[] BestPeerCosines(List<WeightedUpdate> finite, int length)
    {
        int n = finite.Count;
        double[] gram = GramMatrix.Compute(finite.Select(u => u.Values).ToArray(), length);
        double[] best = new double[n];
        for (int i = 0; i < n; i++)
        {
            best[i] = double.NegativeInfinity;
            for (int j = 0; j < n; j++)
            {
                double scale = Math.Sqrt(gram[(i * n) + i] * gram[(j * n) + j]);
                if (j != i)
                {
                    best[i] = Math.Max(best[i], scale > 0 ? gram[(i * n) + j] / scale : 0);
                }
            }
        }

        return best;
    }

    // The cosine of every update to the coordinate-wise median of all finite updates (the robust centre).
    private static (double[] Cosines, bool[] HasCenter) CosinesToCenter(List<WeightedUpdate> finite, double[] norms, int length)
    {
        int n = finite.Count;
        ReadOnlyMemory<float>[] rows = finite.Select(u => u.Values).ToArray();
        float[] center = new float[length];
        if (n <= RankReduction.MaxClients)
        {
            RankReduction.Median(rows, center);
        }
        else
        {
            CoordinateWise.Reduce(rows, center, default(MedianReducer));
        }

        double centerNorm = VectorMath.Norm(center);
        double[] cosines = new double[n];
        bool[] hasCenter = new bool[n];
        for (int i = 0; i < n; i++)
        {
            hasCenter[i] = centerNorm > 0;
            cosines[i] = norms[i] > 0 && centerNorm > 0 ? TensorPrimitives.Dot(rows[i].Span, center) / (norms[i] * centerNorm) : 0;
        }

        return (cosines, hasCenter);
    }

    // (xᵢ − median) / (1.4826·MAD), median and MAD taken over the reference values. With MAD = 0 (most values equal),
    // any value off the median gets an infinite score and the median itself 0.
    internal static double[] ModifiedZ(double[] values, double[] reference)
    {
        double median = VectorMath.Median(reference);
        double[] deviations = reference.Select(v => Math.Abs(v - median)).ToArray();
        double scale = MadToSigma * VectorMath.Median(deviations);
        return values.Select(v => v == median ? 0 : scale > 0 ? (v - median) / scale : Math.CopySign(double.PositiveInfinity, v - median)).ToArray();
    }

    private static int CountNonFinite(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty || TensorPrimitives.IsFiniteAll(values))
        {
            return 0;
        }

        int count = 0;
        foreach (float value in values)
        {
            count += float.IsFinite(value) ? 0 : 1;
        }

        return count;
    }
}
