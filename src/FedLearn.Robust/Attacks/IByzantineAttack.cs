namespace FedLearn.Robust.Attacks;

/// <summary>
/// A Byzantine attack on the updates of a round. Given every client's honest update and which clients are Byzantine,
/// it returns what the Byzantine clients send instead; omniscient attacks may use the honest updates.
/// </summary>
/// <remarks>Implementations are pure apart from their seeded randomness, and thread-safe.</remarks>
public interface IByzantineAttack
{
    /// <summary>Short name for logs and results (for example <c>alie</c>, <c>ipm:0.1</c>).</summary>
    string Name { get; }

    /// <summary>The malicious updates: one per Byzantine client of <paramref name="round"/>, in client-id order, with that client's id and weight.</summary>
    /// <returns>New vectors owned by the caller; empty when the round has no Byzantine client.</returns>
    IReadOnlyList<WeightedUpdate> Craft(ByzantineRound round);
}
