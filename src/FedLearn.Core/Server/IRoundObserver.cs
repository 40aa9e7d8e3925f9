namespace FedLearn.Server;

/// <summary>
/// Receives progress from the server loop (for progress displays, tracking, tests). Called from the loop's threads:
/// implementations must be thread-safe and quick.
/// </summary>
public interface IRoundObserver
{
    /// <summary>A round started with these sampled clients.</summary>
    void OnRoundStarted(int round, IReadOnlyList<string> sampled);

    /// <summary>One sampled client finished the training stage (successfully or not).</summary>
    void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled);

    /// <summary>A round ended.</summary>
    void OnRoundCompleted(RoundResult result);
}
