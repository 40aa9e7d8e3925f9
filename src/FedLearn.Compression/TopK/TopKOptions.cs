using System.ComponentModel.DataAnnotations;

namespace FedLearn.Compression;

/// <summary>
/// Options of the top-k sparsification stage: keep the k values of largest magnitude, given either as a fraction
/// of the vector (<see cref="Ratio"/>) or as a count (<see cref="Count"/>); set exactly one.
/// </summary>
public sealed class TopKOptions : IValidatableObject
{
    /// <summary>Fraction of values kept, in (0, 1]; k = ⌈ratio·n⌉ (at least 1 for a non-empty vector).</summary>
    /// <value>Default <see langword="null"/>.</value>
    public double? Ratio { get; set; }

    /// <summary>Number of values kept, at least 1; capped at the vector length.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public int? Count { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Ratio is null == Count is null)
        {
            yield return new ValidationResult("Top-k needs exactly one of Ratio and Count.", [nameof(Ratio), nameof(Count)]);
        }

        if (Ratio is double ratio && !(ratio > 0 && ratio <= 1))
        {
            yield return new ValidationResult($"Top-k ratio must be in (0, 1]; {ratio} was given.", [nameof(Ratio)]);
        }

        if (Count is int count && count < 1)
        {
            yield return new ValidationResult($"Top-k count must be at least 1; {count} was given.", [nameof(Count)]);
        }
    }

    /// <summary>The k for a vector of <paramref name="length"/> values.</summary>
    internal int KeptCount(int length)
    {
        if (length == 0)
        {
            return 0;
        }

        if (Count is int count)
        {
            return Math.Min(count, length);
        }

        // The small epsilon keeps 0.01·1_000_000 at 10_000 although the product is a hair above it in binary.
        double exact = Ratio!.Value * length;
        return (int)Math.Clamp(Math.Ceiling(exact - (1e-9 * exact)), 1, length);
    }
}
