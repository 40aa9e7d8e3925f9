namespace FedLearn.Privacy.Accounting;

/// <summary>ε from <see cref="PrvAccountant"/>: a point estimate and the bounds that enclose the true value.</summary>
/// <param name="Lower">A lower bound on the true ε at δ: the estimate at δ + δ_error, minus ε_error.</param>
/// <param name="Estimate">The estimate at δ.</param>
/// <param name="Upper">An upper bound on the true ε at δ: the estimate at δ − δ_error, plus ε_error. Report this one.</param>
/// <param name="Delta">δ.</param>
public sealed record PrvEpsilon(double Lower, double Estimate, double Upper, double Delta);
