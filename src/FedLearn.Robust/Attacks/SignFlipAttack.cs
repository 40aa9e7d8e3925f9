using System.Numerics.Tensors;

namespace FedLearn.Robust.Attacks;

/// <summary>Sign flipping: every Byzantine client sends the negative −x of its own honest update. Stateless.</summary>
public sealed class SignFlipAttack : IByzantineAttack
{
    /// <inheritdoc />
    /// <value><c>signflip</c>.</value>
    public string Name => "signflip";

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return round.Byzantine.Select(u =>
        {
            float[] flipped = new float[u.Values.Length];
            TensorPrimitives.Negate(u.Values.Span, flipped);
            return u with { Values = flipped };
        }).ToArray();
    }
}
