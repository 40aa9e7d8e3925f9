namespace FedLearn.Privacy;

/// <summary>
/// A component that adds differential-privacy noise and can say how much privacy it has spent so far, so that a server
/// can record ε per round. Implemented by the client-level DP aggregators.
/// </summary>
public interface IPrivacyReporter
{
    /// <summary>The privacy spent over every round so far, as ε at <paramref name="delta"/>.</summary>
    /// <param name="delta">δ in (0, 1).</param>
    /// <returns>ε = 0 before the first round; +∞ when no noise was added.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1).</exception>
    PrivacyBudget Spent(double delta);
}
