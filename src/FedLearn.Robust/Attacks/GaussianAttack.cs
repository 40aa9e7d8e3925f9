using System.Globalization;

namespace FedLearn.Robust.Attacks;

/// <summary>
/// Gaussian noise: every Byzantine client sends a vector of independent N(0, σ²) values, drawn from a stream derived
/// from the round's seed, the round and the client id (reproducible). Stateless.
/// </summary>
public sealed class GaussianAttack : IByzantineAttack
{
    /// <summary>The default standard deviation σ: 1.</summary>
    public const double DefaultSigma = 1;

    /// <summary>Creates the attack.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="sigma"/> is not positive and finite.</exception>
    public GaussianAttack(double sigma = DefaultSigma)
    {
        if (!(sigma > 0) || !double.IsFinite(sigma))
        {
            throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "The Gaussian attack's sigma must be positive and finite.");
        }

        Sigma = sigma;
    }

    /// <summary>The standard deviation σ.</summary>
    public double Sigma { get; }

    /// <inheritdoc />
    /// <value><c>gaussian:&lt;sigma&gt;</c>.</value>
    public string Name => "gaussian:" + Sigma.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return round.Byzantine.Select(u =>
        {
            var random = new DeterministicRandom(Seeds.Derive(round.Seed, u.ClientId, round.Round, 0x6761));
            float[] noise = new float[u.Values.Length];
            for (int j = 0; j < noise.Length; j++)
            {
                noise[j] = (float)(Sigma * random.NextGaussian());
            }

            return u with { Values = noise };
        }).ToArray();
    }
}
