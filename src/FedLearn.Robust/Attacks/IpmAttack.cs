using System.Globalization;

namespace FedLearn.Robust.Attacks;

/// <summary>
/// Inner Product Manipulation (IPM): every Byzantine client sends −ε·μ, μ the mean of the honest updates, so the
/// aggregate's inner product with the true direction shrinks or turns negative. Omniscient; stateless.
/// </summary>
/// <remarks>Xie, Koyejo and Gupta 2019, "Fall of Empires: Breaking Byzantine-tolerant SGD by Inner Product Manipulation". ε = 0.1 is the weak variant, ε &gt; 1 the strong one.</remarks>
public sealed class IpmAttack : IByzantineAttack
{
    /// <summary>The default ε: 0.1.</summary>
    public const double DefaultEpsilon = 0.1;

    /// <summary>Creates the attack.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="epsilon"/> is not positive and finite.</exception>
    public IpmAttack(double epsilon = DefaultEpsilon)
    {
        if (!(epsilon > 0) || !double.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "IPM's epsilon must be positive and finite.");
        }

        Epsilon = epsilon;
    }

    /// <summary>ε.</summary>
    public double Epsilon { get; }

    /// <inheritdoc />
    /// <value><c>ipm:&lt;epsilon&gt;</c>.</value>
    public string Name => "ipm:" + Epsilon.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (round.ByzantineCount == 0)
        {
            return [];
        }

        double[] mean = HonestStatistics.Mean(round.Reference, round.Length);
        for (int j = 0; j < mean.Length; j++)
        {
            mean[j] *= -Epsilon;
        }

        return HonestStatistics.Broadcast(round, mean);
    }
}
