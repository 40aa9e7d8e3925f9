using System.Globalization;
using FedLearn.Options;
using FedLearn.Privacy.Accounting;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// Local differential privacy for one client: clips its delta to C and adds N(0, (σC)²) to every coordinate before the
/// update leaves the client, so nobody downstream (server included) sees the raw delta. Keeps its own accountant.
/// </summary>
/// <remarks>
/// <para>Neighbouring inputs here are any two deltas the client could send; after clipping they differ by at most 2C
/// in L2 norm, so each round is a Gaussian mechanism with noise multiplier σC/(2C) = σ/2, and the accountant records
/// one step at (σ/2, q = 1) per call of <see cref="PrivatizeUpdate"/> (no amplification: the client knows it took
/// part). Local DP needs far more noise than central DP for the same accuracy; it is the option when the server is not
/// trusted and secure aggregation is not available.</para>
/// <para>Not thread-safe: one instance per client.</para>
/// </remarks>
public sealed class LocalDpEngine : IPrivacyEngine
{
    private readonly double _clippingNorm;
    private readonly double _noiseMultiplier;
    private readonly SecureGaussianNoise? _secure;
    private readonly RdpAccountant _accountant = new();

    /// <summary>Creates an engine.</summary>
    /// <param name="options">The settings; validated now.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options break a rule; the message lists every broken rule.</exception>
    public LocalDpEngine(LocalDpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(LocalDpOptions));
        _clippingNorm = options.ClippingNorm;
        _noiseMultiplier = options.NoiseMultiplier;
        _secure = options.NoiseSource == LocalNoiseSource.Secure ? new SecureGaussianNoise() : null;
    }

    /// <inheritdoc />
    /// <value><c>local-dp:noise=</c>σ<c>,clip=</c>C.</value>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"local-dp:noise={_noiseMultiplier},clip={_clippingNorm}");

    /// <summary>The rounds privatized so far, as accountant history (noise multiplier σ/2, sample rate 1).</summary>
    public IReadOnlyList<PrivacyStep> History => _accountant.History;

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A value of <paramref name="delta"/> is not finite.</exception>
    public void PrivatizeUpdate(Span<float> delta, int round, ulong seed)
    {
        L2Clipping.ClipInPlace(delta, _clippingNorm);
        IGaussianNoiseSource noise = _secure ?? (IGaussianNoiseSource)new SeededGaussianNoise(seed);
        GaussianMechanism.AddNoise(delta, _clippingNorm, _noiseMultiplier, noise);
        _accountant.Step(_noiseMultiplier / 2, 1.0);
    }

    /// <inheritdoc />
    public PrivacyBudget GetSpent(double delta) => _accountant.GetSpent(delta).ToBudget();
}
