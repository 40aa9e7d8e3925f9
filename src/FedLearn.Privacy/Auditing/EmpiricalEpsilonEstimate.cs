namespace FedLearn.Privacy.Auditing;

/// <summary>An empirical ε lower bound and what it rests on (see <see cref="EmpiricalEpsilon.Estimate"/>).</summary>
/// <param name="Epsilon">ε_lb ≥ 0 measured on the evaluation half, holding with probability at least <paramref name="Confidence"/>.</param>
/// <param name="Confidence">The joint confidence of the Clopper–Pearson bounds.</param>
/// <param name="Delta">The δ the bound is stated at.</param>
/// <param name="Threshold">The threshold chosen on the selection half (+∞ when no threshold beat chance there).</param>
/// <param name="Evaluation">The counts at that threshold on the evaluation half.</param>
/// <param name="TprLower">The Clopper–Pearson lower bound of TPR on the evaluation half.</param>
/// <param name="FprUpper">The Clopper–Pearson upper bound of FPR on the evaluation half.</param>
/// <param name="SelectionEpsilon">The bound on the selection half at the chosen threshold (optimistic: the threshold was fitted to it).</param>
public sealed record EmpiricalEpsilonEstimate(
    double Epsilon,
    double Confidence,
    double Delta,
    double Threshold,
    RocPoint Evaluation,
    double TprLower,
    double FprUpper,
    double SelectionEpsilon);
