using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// What the two fixed-clipping forms of client-level DP-FedAvg share: clip every delta to C, average the clipped deltas
/// with equal weights through the inner aggregator, add N(0, (σC/m)²) to every coordinate, and take one step of the
/// RDP accountant per round. <see cref="ServerSideFixedClippingAggregator"/> and
/// <see cref="ClientSideFixedClippingAggregator"/> differ only in where the clipping is meant to happen.
/// </summary>
/// <remarks>Not thread-safe: the accountant and the noise source are updated by every round.</remarks>
public abstract class FixedClippingDpAggregator : DelegatingAggregator, IPrivacyReporter
{
    private readonly double _clippingNorm;
    private readonly double _noiseMultiplier;
    private readonly double _sampleRate;
    private readonly double? _expectedClients;
    private readonly IGaussianNoiseSource _noise;
    private readonly RdpAccountant _accountant = new();

    /// <summary>Wraps <paramref name="inner"/>; only the two forms in this package derive from this class.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every broken rule.</exception>
    private protected FixedClippingDpAggregator(IAggregator inner, FixedClippingOptions options, IGaussianNoiseSource? noise)
        : base(inner)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(FixedClippingOptions));
        _clippingNorm = options.ClippingNorm;
        _noiseMultiplier = options.NoiseMultiplier;
        _sampleRate = options.SampleRate;
        _expectedClients = options.ExpectedClientsPerRound;
        _noise = noise ?? new SecureGaussianNoise();
    }

    /// <summary>The rounds aggregated so far, as accountant history.</summary>
    public IReadOnlyList<PrivacyStep> History => _accountant.History;

    /// <inheritdoc />
    public PrivacyBudget Spent(double delta) => _accountant.GetSpent(delta).ToBudget();

    /// <summary>One round: clip, average, add noise, step the accountant.</summary>
    /// <param name="updates">The clients' updates; not modified.</param>
    /// <param name="destination">Receives the noisy aggregate.</param>
    /// <param name="unclipped">When not empty, receives for each update whether its norm was ≤ C before clipping.</param>
    /// <param name="context">What the server removed before aggregation; passed to the inner aggregator.</param>
    private protected AggregationResult AggregateClippedWithNoise(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, Span<bool> unclipped, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        (AggregationResult result, double denominator) = ClippedAggregation.Aggregate(
            Inner, updates, destination, _clippingNorm, _expectedClients, unclipped, context);
        _noise.AddNoise(destination, _noiseMultiplier * _clippingNorm / denominator);
        _accountant.Step(_noiseMultiplier, _sampleRate);
        return result;
    }
}
