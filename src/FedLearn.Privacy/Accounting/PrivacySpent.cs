namespace FedLearn.Privacy.Accounting;

/// <summary>An (ε, δ) guarantee from an RDP accountant, with the Rényi order that gave it.</summary>
/// <param name="Epsilon">ε ≥ 0; +∞ when nothing bounds it.</param>
/// <param name="Delta">δ in (0, 1).</param>
/// <param name="Order">The order α that minimised ε; NaN when ε is +∞ at every order.</param>
public sealed record PrivacySpent(double Epsilon, double Delta, double Order)
{
    /// <summary>The same guarantee as Core's <see cref="PrivacyBudget"/>.</summary>
    public PrivacyBudget ToBudget() => new(Epsilon, Delta);
}
