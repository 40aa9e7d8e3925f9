using System.Globalization;
using FedLearn.Privacy.Mechanisms;

namespace FedLearn.Privacy.ClientLevel;

/// <summary>
/// The client half of client-level DP-FedAvg with clipping on the clients: scales the client's delta to L2 norm ≤ C
/// before it leaves the client. It adds no noise; the server's <see cref="ClientSideFixedClippingAggregator"/> does, and
/// reports the privacy spent. Stateless apart from its settings; one instance may serve one client.
/// </summary>
/// <remarks>McMahan, Ramage, Talwar and Zhang 2018.</remarks>
public sealed class ClientSideClippingEngine : IPrivacyEngine
{
    private readonly double _clippingNorm;

    /// <summary>Creates an engine that clips to <paramref name="clippingNorm"/>.</summary>
    /// <param name="clippingNorm">C: positive and finite; the server wrapper must use the same value.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="clippingNorm"/> is not positive and finite.</exception>
    public ClientSideClippingEngine(double clippingNorm)
    {
        L2Clipping.CheckMaxNorm(clippingNorm);
        _clippingNorm = clippingNorm;
    }

    /// <inheritdoc />
    /// <value><c>client-clip:</c>C.</value>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"client-clip:{_clippingNorm}");

    /// <inheritdoc />
    /// <remarks>Clips <paramref name="delta"/> in place; <paramref name="round"/> and <paramref name="seed"/> are not used.</remarks>
    /// <exception cref="ArgumentException">A value is not finite.</exception>
    public void PrivatizeUpdate(Span<float> delta, int round, ulong seed) => L2Clipping.ClipInPlace(delta, _clippingNorm);

    /// <inheritdoc />
    /// <returns>ε = +∞: clipping alone gives no guarantee; ask the server's <see cref="IPrivacyReporter"/>.</returns>
    public PrivacyBudget GetSpent(double delta) => new(double.PositiveInfinity, delta);
}
