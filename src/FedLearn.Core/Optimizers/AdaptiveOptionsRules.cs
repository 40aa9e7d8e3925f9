using System.ComponentModel.DataAnnotations;

namespace FedLearn.Optimizers;

/// <summary>Rules shared by the options of the adaptive optimizers that a <see cref="RangeAttribute"/> cannot express.</summary>
internal static class AdaptiveOptionsRules
{
    /// <summary>
    /// τ is used in single precision (the state and the weights are <see cref="float"/>): a positive τ that rounds to
    /// zero would let a zero delta divide 0 by 0.
    /// </summary>
    public static IEnumerable<ValidationResult> Validate(double tau)
    {
        if (tau > 0 && (float)tau == 0f)
        {
            yield return new ValidationResult(
                $"{tau:R} rounds to 0 in single precision, use at least {float.Epsilon:R}",
                ["Tau"]);
        }
    }
}
