namespace FedLearn.Robust.Attacks;

/// <summary>Crafts the round's Byzantine updates and screens what the attackers send with the inner screener.</summary>
internal sealed class AdversaryScreener(SimulatedAdversary adversary, IUpdateScreener? inner) : IUpdateScreener
{
    public IReadOnlyList<ClientFlag> Screen(int round, IReadOnlyList<WeightedUpdate> updates)
    {
        ArgumentNullException.ThrowIfNull(updates);
        IReadOnlyList<WeightedUpdate> sent = adversary.Craft(round, updates);
        return inner?.Screen(round, sent) ?? [];
    }
}
