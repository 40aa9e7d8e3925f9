using System.Globalization;

namespace FedLearn.Robust.Attacks;

/// <summary>
/// A Little Is Enough (ALIE): every Byzantine client sends μ − z·σ, with μ and σ the per-coordinate mean and sample
/// standard deviation of the honest updates, and z = Φ⁻¹((n − f − s)/(n − f)) for s = ⌊n/2 + 1⌋ − f, unless z is given.
/// Omniscient; stateless.
/// </summary>
/// <remarks>Baruch, Baruch and Goldberg 2019, "A Little Is Enough: Circumventing Defenses For Distributed Learning".</remarks>
public sealed class AlieAttack : IByzantineAttack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="z">A fixed z; null computes it from n and f each round.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="z"/> is not finite.</exception>
    public AlieAttack(double? z = null)
    {
        if (z is double value && !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(z), value, "ALIE's z must be finite.");
        }

        Z = z;
    }

    /// <summary>The fixed z, or null when it comes from n and f.</summary>
    public double? Z { get; }

    /// <inheritdoc />
    /// <value><c>alie</c>, or <c>alie:&lt;z&gt;</c> with a fixed z.</value>
    public string Name => Z is double z ? "alie:" + z.ToString(CultureInfo.InvariantCulture) : "alie";

    /// <summary>z = Φ⁻¹((n − f − s)/(n − f)) with s = ⌊n/2 + 1⌋ − f, for <paramref name="n"/> clients of which <paramref name="f"/> are Byzantine.</summary>
    /// <exception cref="ArgumentOutOfRangeException">f is negative, f ≥ n, or s ≤ 0 (f &gt; n/2: the attack's formula is undefined).</exception>
    public static double ComputeZ(int n, int f)
    {
        if (f < 0 || f >= n)
        {
            throw new ArgumentOutOfRangeException(nameof(f), f, $"ALIE needs 0 ≤ f < n; got n = {n}, f = {f}.");
        }

        int s = (n / 2) + 1 - f;
        if (s <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(f), f, $"ALIE needs s = ⌊n/2 + 1⌋ − f > 0; with n = {n}, f = {f} it is {s}.");
        }

        return NormalDistribution.InverseCdf((double)(n - f - s) / (n - f));
    }

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        if (round.ByzantineCount == 0)
        {
            return [];
        }

        double z = Z ?? ComputeZ(round.Count, round.ByzantineCount);
        double[] mean = HonestStatistics.Mean(round.Reference, round.Length);
        double[] sigma = HonestStatistics.StandardDeviation(round.Reference, mean);
        for (int j = 0; j < mean.Length; j++)
        {
            mean[j] -= z * sigma[j];
        }

        return HonestStatistics.Broadcast(round, mean);
    }
}
