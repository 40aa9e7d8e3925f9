namespace FedLearn.Privacy.ClientLevel;

/// <summary>The privacy spent up to and including one round, as recorded by <see cref="PrivacyRoundObserver"/>.</summary>
/// <param name="Round">The round (1-based).</param>
/// <param name="Epsilon">ε spent over every round so far.</param>
/// <param name="Delta">δ.</param>
public sealed record PrivacyRoundRecord(int Round, double Epsilon, double Delta);
