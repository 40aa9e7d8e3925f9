namespace FedLearn;

/// <summary>
/// Privatizes what a client sends (for example clip the delta to a norm and add Gaussian noise) and reports
/// the privacy spent so far. One instance belongs to one client; it is not thread-safe.
/// </summary>
public interface IPrivacyEngine
{
    /// <summary>Short name for logs and results.</summary>
    string Name { get; }

    /// <summary>Privatizes the delta in place.</summary>
    /// <param name="delta">The client's model delta.</param>
    /// <param name="round">The round (1-based).</param>
    /// <param name="seed">Seed for the noise when reproducibility is asked for.</param>
    void PrivatizeUpdate(Span<float> delta, int round, ulong seed);

    /// <summary>The privacy spent so far, as ε at the given δ.</summary>
    PrivacyBudget GetSpent(double delta);
}

/// <summary>An (ε, δ) privacy guarantee.</summary>
/// <param name="Epsilon">ε; positive infinity when nothing bounds it.</param>
/// <param name="Delta">δ.</param>
public sealed record PrivacyBudget(double Epsilon, double Delta);
