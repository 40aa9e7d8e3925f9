using FedLearn.Aggregation;
using FedLearn.Options;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// The server half of client-level DP-FedAvg with clipping on the clients: the clients clip their own deltas to C
/// (<see cref="ClientSideClippingEngine"/>), and this wrapper averages them with equal weights and adds
/// N(0, (σC/m)²) to every coordinate. Each call to <see cref="Aggregate"/> is one round and one accountant step.
/// </summary>
/// <remarks>
/// <para>McMahan, Ramage, Talwar and Zhang 2018. Clipping on the client lets the server work on masked or encrypted
/// updates (secure aggregation), where it cannot clip.</para>
/// <para>The guarantee must not rest on every client being honest: an update that arrives with norm above C is clipped
/// here too. An honestly clipped update has norm ≤ C and passes unchanged, so honest clients see no difference.</para>
/// <para>Weights, inner aggregator and denominator are handled as in <see cref="ServerSideFixedClippingAggregator"/>.
/// Not thread-safe.</para>
/// </remarks>
public sealed class ClientSideFixedClippingAggregator : FixedClippingDpAggregator
{
    /// <summary>Wraps <paramref name="inner"/>.</summary>
    /// <param name="inner">The averaging rule to wrap.</param>
    /// <param name="options">The settings (the clients must clip to the same <see cref="FixedClippingOptions.ClippingNorm"/>); validated now.</param>
    /// <param name="noise">The noise source; a new <see cref="SecureGaussianNoise"/> when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every broken rule.</exception>
    public ClientSideFixedClippingAggregator(IAggregator inner, FixedClippingOptions options, IGaussianNoiseSource? noise = null)
        : base(inner, options, noise)
    {
    }

    /// <inheritdoc />
    /// <value><c>dp-client-fixed(</c>inner name<c>)</c>.</value>
    public override string Name => $"dp-client-fixed({Inner.Name})";

    /// <summary>How many updates so far arrived with a norm above C and had to be clipped by the server.</summary>
    public long UpdatesClippedByServer { get; private set; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">There are no updates or one has the wrong length (the message names the client), or a value is not finite.</exception>
    public override AggregationResult Aggregate(IReadOnlyList<WeightedUpdate> updates, Span<float> destination, AggregationContext context)
    {
        ArgumentNullException.ThrowIfNull(updates);
        bool[] withinNorm = new bool[updates.Count];
        AggregationResult result = AggregateClippedWithNoise(updates, destination, withinNorm, context);
        UpdatesClippedByServer += withinNorm.Count(ok => !ok);
        return result;
    }
}
