using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.TrimmedMean;

/// <summary>Settings of <see cref="TrimmedMeanAggregator"/>: how many values to drop at each end, as a count or a fraction.</summary>
/// <remarks>Yin et al. 2018, "Byzantine-Robust Distributed Learning: Towards Optimal Statistical Rates".</remarks>
public sealed class TrimmedMeanOptions : IValidatableObject
{
    /// <summary>The number f of values dropped at each end of every coordinate; set this or <see cref="TrimFraction"/>.</summary>
    /// <value>Null (use <see cref="TrimFraction"/>).</value>
    [Range(0, int.MaxValue)]
    public int? TrimCount { get; set; }

    /// <summary>The fraction β of the n values dropped at each end: f = ⌊β·n⌋ for each call; set this or <see cref="TrimCount"/>.</summary>
    /// <value>Null (use <see cref="TrimCount"/>).</value>
    [Range(0.0, 0.5, MaximumIsExclusive = true)]
    public double? TrimFraction { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (TrimCount is null == TrimFraction is null)
        {
            yield return new ValidationResult(
                "Set exactly one of TrimCount and TrimFraction.",
                [nameof(TrimCount), nameof(TrimFraction)]);
        }
    }
}
