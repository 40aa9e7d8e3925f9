namespace FedLearn.Robust.Attacks;

/// <summary>Applies an <see cref="IByzantineAttack"/> to a round's updates.</summary>
public static class ByzantineAttackExtensions
{
    /// <summary>The updates of <paramref name="round"/> in their given order, with every Byzantine client's update replaced by the attack's.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The attack did not return exactly one update per Byzantine client.</exception>
    public static IReadOnlyList<WeightedUpdate> Apply(this IByzantineAttack attack, ByzantineRound round)
    {
        ArgumentNullException.ThrowIfNull(attack);
        ArgumentNullException.ThrowIfNull(round);
        IReadOnlyList<WeightedUpdate> crafted = attack.Craft(round);
        var byId = crafted.ToDictionary(u => u.ClientId, StringComparer.Ordinal);
        if (byId.Count != round.ByzantineCount || round.Byzantine.Any(u => !byId.ContainsKey(u.ClientId)))
        {
            throw new InvalidOperationException($"Attack '{attack.Name}' must return one update per Byzantine client ({round.ByzantineCount}) but returned {crafted.Count}.");
        }

        return round.Updates.Select(u => byId.TryGetValue(u.ClientId, out WeightedUpdate m) ? m : u).ToArray();
    }
}
