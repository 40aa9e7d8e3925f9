using System.ComponentModel.DataAnnotations;

namespace FedLearn.Compression;

/// <summary>
/// Options of the quantization stage. Validated when the pipeline is built; every error is reported at once.
/// Not thread-safe while being configured; the pipeline copies the values it needs.
/// </summary>
public sealed class QuantizationOptions : IValidatableObject
{
    /// <summary>How each chunk's grid is scaled.</summary>
    /// <value>Default <see cref="QuantizationScheme.MinMax"/>.</value>
    public QuantizationScheme Scheme { get; set; } = QuantizationScheme.MinMax;

    /// <summary>Bits per value: 1 to 32 for <see cref="QuantizationScheme.MinMax"/>, 2 to 32 for <see cref="QuantizationScheme.Norm"/>, exactly 1 for <see cref="QuantizationScheme.ScaledSign"/>.</summary>
    /// <value>Default <see cref="QuantizationDefaults.Bits"/> (8).</value>
    [Range(1, 32)]
    public int Bits { get; set; } = QuantizationDefaults.Bits;

    /// <summary>Nearest (deterministic) or stochastic (unbiased) rounding. Ignored by <see cref="QuantizationScheme.ScaledSign"/>.</summary>
    /// <value>Default <see cref="QuantizationRounding.Nearest"/>.</value>
    public QuantizationRounding Rounding { get; set; } = QuantizationRounding.Nearest;

    /// <summary>How many consecutive values (of the dense vector, or of the kept values after top-k) share one scale.</summary>
    /// <value>Default <see cref="QuantizationDefaults.ChunkSize"/> (4096).</value>
    [Range(1, QuantizationDefaults.MaxChunkSize)]
    public int ChunkSize { get; set; } = QuantizationDefaults.ChunkSize;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Enum.IsDefined(Scheme))
        {
            yield return new ValidationResult($"Quantization scheme {(int)Scheme} is not defined.", [nameof(Scheme)]);
        }

        if (!Enum.IsDefined(Rounding))
        {
            yield return new ValidationResult($"Quantization rounding {(int)Rounding} is not defined.", [nameof(Rounding)]);
        }

        if (Scheme == QuantizationScheme.Norm && Bits < 2)
        {
            yield return new ValidationResult($"Norm quantization needs at least 2 bits (a sign and a magnitude); {Bits} was given.", [nameof(Bits)]);
        }

        if (Scheme == QuantizationScheme.ScaledSign && Bits != 1)
        {
            yield return new ValidationResult($"Scaled-sign quantization uses exactly 1 bit; {Bits} was given.", [nameof(Bits)]);
        }
    }
}
