using System.ComponentModel.DataAnnotations;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>Settings of Paillier aggregation. Server and clients must use the same. Validated when a component is built.</summary>
public sealed class PaillierOptions : IValidatableObject
{
    /// <summary>Modulus size in bits: 2048 or 3072.</summary>
    /// <value>Default: <see cref="PaillierDefaults.KeyBits"/>.</value>
    public int KeyBits { get; set; } = PaillierDefaults.KeyBits;

    /// <summary>Each weighted coordinate is clipped to [−ClippingRange, ClippingRange].</summary>
    /// <value>Default: <see cref="PaillierDefaults.ClippingRange"/>.</value>
    [Range(1e-6, 1e6)]
    public double ClippingRange { get; set; } = PaillierDefaults.ClippingRange;

    /// <summary>Quantization levels of [−clip, clip].</summary>
    /// <value>Default: <see cref="PaillierDefaults.QuantizationRange"/>.</value>
    [Range(2L, 1L << 40)]
    public long QuantizationRange { get; set; } = PaillierDefaults.QuantizationRange;

    /// <summary>Most clients one sum may hold; sizes the padding bits of each slot.</summary>
    /// <value>Default: <see cref="PaillierDefaults.MaxClients"/>.</value>
    [Range(1, 1 << 20)]
    public int MaxClients { get; set; } = PaillierDefaults.MaxClients;

    /// <summary>Example counts above this are capped when they weight an update.</summary>
    /// <value>Default: <see cref="PaillierDefaults.MaxWeight"/>.</value>
    [Range(1, int.MaxValue)]
    public int MaxWeight { get; set; } = PaillierDefaults.MaxWeight;

    /// <summary>Pack many values per ciphertext (BatchCrypt); off encrypts one value per ciphertext.</summary>
    /// <value>Default: <c>true</c>.</value>
    /// <remarks>Zhang et al., "BatchCrypt: Efficient Homomorphic Encryption for Cross-Silo Federated Learning", USENIX ATC 2020.</remarks>
    public bool Packing { get; set; } = true;

    /// <summary>Allows keys below 2048 bits; for tests only.</summary>
    /// <value>Default: <c>false</c>.</value>
    public bool AllowInsecureKeySizeForTesting { get; set; }

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (KeyBits is not (2048 or 3072) && !(AllowInsecureKeySizeForTesting && KeyBits >= 512 && KeyBits % 2 == 0))
        {
            yield return new ValidationResult($"must be 2048 or 3072, but is {KeyBits}.", [nameof(KeyBits)]);
        }

        if (MaxWeight > QuantizationRange)
        {
            yield return new ValidationResult($"({MaxWeight}) must not exceed QuantizationRange ({QuantizationRange}): the weight travels in a value slot.", [nameof(MaxWeight)]);
        }
    }
}
