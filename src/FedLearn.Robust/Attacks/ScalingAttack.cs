using System.Globalization;
using System.Numerics.Tensors;

namespace FedLearn.Robust.Attacks;

/// <summary>Scaling (boosting): every Byzantine client sends λ·x, its own honest update scaled by a factor λ. Stateless.</summary>
/// <remarks>Bhagoji et al. 2019, "Analyzing Federated Learning through an Adversarial Lens" (explicit boosting).</remarks>
public sealed class ScalingAttack : IByzantineAttack
{
    /// <summary>The default factor: 10.</summary>
    public const double DefaultFactor = 10;

    /// <summary>Creates the attack.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="factor"/> is not finite.</exception>
    public ScalingAttack(double factor = DefaultFactor)
    {
        if (!double.IsFinite(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scaling factor must be finite.");
        }

        Factor = factor;
    }

    /// <summary>The factor λ.</summary>
    public double Factor { get; }

    /// <inheritdoc />
    /// <value><c>scaling:&lt;factor&gt;</c>.</value>
    public string Name => "scaling:" + Factor.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return round.Byzantine.Select(u =>
        {
            float[] scaled = new float[u.Values.Length];
            TensorPrimitives.Multiply(u.Values.Span, (float)Factor, scaled);
            return u with { Values = scaled };
        }).ToArray();
    }
}
