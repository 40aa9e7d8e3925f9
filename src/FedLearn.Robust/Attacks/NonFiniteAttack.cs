using System.Globalization;

namespace FedLearn.Robust.Attacks;

/// <summary>Non-finite values: every Byzantine client sends a vector filled with NaN (or an infinity). Stateless.</summary>
public sealed class NonFiniteAttack : IByzantineAttack
{
    /// <summary>Creates the attack.</summary>
    /// <param name="value">The value sent: NaN, +∞ or −∞.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is finite.</exception>
    public NonFiniteAttack(float value = float.NaN)
    {
        if (float.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "The non-finite attack sends NaN or an infinity.");
        }

        Value = value;
    }

    /// <summary>The value sent.</summary>
    public float Value { get; }

    /// <inheritdoc />
    /// <value><c>nonfinite</c>, or <c>nonfinite:inf</c> / <c>nonfinite:-inf</c>.</value>
    public string Name => float.IsNaN(Value) ? "nonfinite" : "nonfinite:" + (Value > 0 ? "inf" : "-inf");

    /// <inheritdoc />
    public IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(round);
        return round.Byzantine.Select(u =>
        {
            float[] values = new float[u.Values.Length];
            Array.Fill(values, Value);
            return u with { Values = values };
        }).ToArray();
    }

    /// <inheritdoc />
    public override string ToString() => Name + " (" + Value.ToString(CultureInfo.InvariantCulture) + ")";
}
