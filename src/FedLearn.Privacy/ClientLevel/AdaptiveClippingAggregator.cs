using System.Globalization;
using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// Client-level DP-FedAvg with a clipping norm that tracks a quantile of the update norms: each round clips every
/// delta to the current C, averages with equal weights, adds N(0, (z_Δ·C/m)²), counts the updates that needed no
/// clipping with noise N(0, σ_b²), and moves C ← C·exp(−η_C(b̄ − γ)). Each call to <see cref="Aggregate"/> is one round.
/// </summary>
/// <remarks>
/// <para>Andrew, Thakkar, McMahan and Ramaswamy 2021, "Differentially Private Learning with Adaptive Clipping"
/// (NeurIPS), Algorithm 1 with the geometric update. The count uses bᵢ − ½ (sensitivity ½), so releasing the noisy
/// count and the noisy average together is one Gaussian mechanism with noise multiplier
/// z = (z_Δ⁻² + (2σ_b)⁻²)^(−1/2); the accountant charges z per round.</para>
/// <para>The clipping norm is derived only from noisy, released values, so adapting it costs no privacy beyond z.
/// Weights, inner aggregator and denominator are handled as in <see cref="ServerSideFixedClippingAggregator"/>.
/// Not thread-safe.</para>
/// </remarks>
public sealed class AdaptiveClippingAggregator : DelegatingAggregator, IPrivacyReporter
{
    private readonly double _noiseMultiplier;
    private readonly double _targetQuantile;
    private readonly double _learningRate;
    private readonly double? _countStddev;
    private readonly double _sampleRate;
    private readonly double? _expectedClients;
    private readonly IGaussianNoiseSource _noise;
    private readonly RdpAccountant _accountant = new();

    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The averaging rule to wrap.</param>
    /// <param name="options">The settings; validated now.</param>
    /// <param name="noise">The noise source; a new <see cref="SecureGaussianNoise"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every broken rule.</exception>
    public AdaptiveClippingAggregator(IAggregator inner, AdaptiveClippingOptions options, IGaussianNoiseSource? noise = null)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(AdaptiveClippingOptions));
        _noiseMultiplier = options.NoiseMultiplier;
        ClippingNorm = options.InitialClippingNorm;
        _targetQuantile = options.TargetQuantile;
        _learningRate = options.ClippingLearningRate;
        _countStddev = options.ClippedCountStddev;
        _sampleRate = options.SampleRate;
        _expectedClients = options.ExpectedClientsPerRound;
        _noise = noise ?? new SecureGaussianNoise();
    }

    /// <inheritdoc />
    /// <value><c>dp-adaptive(</c>inner name<c>)</c>.</value>
    public override string Name => $"dp-adaptive({Inner.Name})";

    /// <summary>The clipping norm the next round will use.</summary>
    public double ClippingNorm { get; private set; }

    /// <summary>The noisy fraction b̄ of unclipped updates in the last round; NaN before the first round.</summary>
    public double LastUnclippedFraction { get; private set; } = double.NaN;

    /// <summary>The rounds aggregated so far, as accountant history.</summary>
    public IReadOnlyList<PrivacyStep> History => _accountant.History;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There are no updates or one has the wrong length (the message names the client), or a value is not finite.</exception>
    /// <exception cref="InvalidOperationException">σ_b = m/20 is too small for the noise multiplier with this few clients.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(context);
        if (updates.Count == 0)
        {
            throw new ArgumentException("Differentially private aggregation needs at least one update but got none.", nameof(updates));
        }

        double clients = _expectedClients ?? updates.Count;
        double countStddev = _countStddev ?? (clients * DpFedAvgDefaults.ClippedCountStddevFraction);
        double updateNoiseMultiplier = UpdateNoiseMultiplier(_noiseMultiplier, countStddev, updates.Count);

        bool[] unclipped = new bool[updates.Count];
        (AggregationResult result, double denominator) = ClippedAggregation.Aggregate(
            Inner, updates, destination, ClippingNorm, _expectedClients, unclipped, context);
        _noise.AddNoise(destination, updateNoiseMultiplier * ClippingNorm / denominator);

        double count = unclipped.Count(b => b);
        if (_noiseMultiplier > 0)
        {
            count += countStddev * _noise.NextStandardNormal();
        }

        LastUnclippedFraction = count / denominator;
        ClippingNorm *= Math.Exp(-_learningRate * (LastUnclippedFraction - _targetQuantile));
        _accountant.Step(_noiseMultiplier, _sampleRate);
        return result;
    }

    /// <inheritdoc />
    public PrivacyBudget Spent(double delta) => _accountant.GetSpent(delta).ToBudget();

    /// <summary>z_Δ = (z⁻² − (2σ_b)⁻²)^(−1/2), the share of the noise budget left for the update.</summary>
    internal static double UpdateNoiseMultiplier(double z, double countStddev, int clients)
    {
        if (z == 0)
        {
            return 0;
        }

        double remaining = (1 / (z * z)) - (1 / (4 * countStddev * countStddev));
        if (!(remaining > 0))
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"Adaptive clipping with noise multiplier {z} needs a clipped-count noise σ_b above {z / 2}, but σ_b = {countStddev} with {clients} clients; set AdaptiveClippingOptions.ClippedCountStddev or sample more clients per round."));
        }

        return 1 / Math.Sqrt(remaining);
    }
}
