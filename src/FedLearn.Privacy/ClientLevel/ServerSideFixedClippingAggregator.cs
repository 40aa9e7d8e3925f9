using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// Client-level DP-FedAvg with clipping on the server: clips every client's delta to C, averages the clipped deltas
/// with equal weights through the inner aggregator, and adds N(0, (σC/m)²) to every coordinate. Each call to
/// <see cref="Aggregate"/> is one round and one step of the accountant.
/// </summary>
/// <remarks>
/// <para>McMahan, Ramage, Talwar and Zhang 2018, "Learning Differentially Private Recurrent Language Models" (DP-FedAvg).</para>
/// <para><b>Weights.</b> Client weights (example counts) are replaced by 1: the sensitivity of an example-weighted
/// average to one client is its weight share times C, which is not bounded by C/m. This is what Flower's
/// <c>DifferentialPrivacyServerSideFixedClipping</c> does too.</para>
/// <para><b>Inner aggregator.</b> The noise is calibrated for an inner rule that averages (<c>FederatedAveraging</c>).
/// A robust rule (median, Krum) has a different sensitivity; wrapping one gives clipped, noisy robust aggregation but
/// the reported ε then assumes the mean's sensitivity.</para>
/// <para><b>Denominator.</b> With <see cref="FixedClippingOptions.ExpectedClientsPerRound"/> set the estimator is
/// McMahan et al.'s fixed-denominator one and the accountant's (ε, δ) is the formal client-level guarantee for Poisson
/// sampling at rate q. Without it m is the number of updates received, as in Flower; the accountant then treats m as
/// fixed and public.</para>
/// <para>The server sees every raw update: this protects the released model against its users, not the clients
/// against the server (use client-side clipping with secure aggregation, or local DP, for that).</para>
/// <para>Not thread-safe: the accountant and the noise source are updated by every round.</para>
/// </remarks>
public sealed class ServerSideFixedClippingAggregator : FixedClippingDpAggregator
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The averaging rule to wrap.</param>
    /// <param name="options">The settings; validated now.</param>
    /// <param name="noise">The noise source; a new <see cref="SecureGaussianNoise"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every broken rule.</exception>
    public ServerSideFixedClippingAggregator(IAggregator inner, FixedClippingOptions options, IGaussianNoiseSource? noise = null)
        : base(inner, options, noise)
    {
    }

    /// <inheritdoc />
    /// <value><c>dp-server-fixed(</c>inner name<c>)</c>.</value>
    public override string Name => $"dp-server-fixed({Inner.Name})";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There are no updates or one has the wrong length (the message names the client), or a value is not finite.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        return AggregateClippedWithNoise(updates, destination, [], context);
    }
}
