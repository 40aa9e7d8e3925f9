using System.ComponentModel.DataAnnotations;
using FedLearn.Partitioning;

namespace FedLearn.Data;

/// <summary>
/// How <see cref="FederatedDataLoader"/> builds the clients' data. A record: equal options select the same cached
/// loader in <see cref="FederatedDataLoader.GetOrCreate"/> (a <see cref="TrainTransform"/> compares by its own
/// equality; the transforms shipped in FedLearn compare by their settings).
/// </summary>
public sealed record FederatedDataOptions : IValidatableObject
{
    /// <summary>The folder holding the Fashion-MNIST files, or <see langword="null"/> to search the usual places (see <see cref="FashionMnist"/>).</summary>
    /// <value>Default <see langword="null"/>.</value>
    public string? DataDirectory { get; init; }

    /// <summary>The partitioning of the training records among clients, as parsed by <see cref="Partitioners.Parse"/>.</summary>
    /// <value>Default <c>iid</c>.</value>
    [Required]
    public string Partition { get; init; } = FederatedDataDefaults.Partition;

    /// <summary>Number of clients.</summary>
    /// <value>Default 10.</value>
    [Range(1, int.MaxValue)]
    public int ClientCount { get; init; } = FederatedDataDefaults.ClientCount;

    /// <summary>Run seed; the partition and every client's train/test split derive their own seeds from it.</summary>
    /// <value>Default 42.</value>
    public ulong Seed { get; init; } = FederatedDataDefaults.Seed;

    /// <summary>Use only the first this many training records (all when <see langword="null"/> or larger than the set), for quick runs.</summary>
    /// <value>Default <see langword="null"/>.</value>
    [Range(1, int.MaxValue)]
    public int? TrainSubset { get; init; }

    /// <summary>Share of each client's records held out as its local test set, in [0, 1).</summary>
    /// <value>Default 0.2.</value>
    [Range(0.0, 1.0, MaximumIsExclusive = true)]
    public double TestFraction { get; init; } = FederatedDataDefaults.TestFraction;

    /// <summary>Augmentation that trainers apply to training records as they copy a batch; <see langword="null"/> for none.</summary>
    /// <value>Default <see langword="null"/>.</value>
    public ISampleTransform? TrainTransform { get; init; }

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Partition is not null)
        {
            string? error = null;
            try
            {
                Partitioners.Parse(Partition);
            }
            catch (ArgumentException ex)
            {
                error = ex.Message.Split(" (Parameter", 2)[0];
            }

            if (error is not null)
            {
                yield return new ValidationResult(error, [nameof(Partition)]);
            }
        }

        if (TrainSubset is int subset && subset >= 1 && subset < ClientCount)
        {
            yield return new ValidationResult(
                $"The TrainSubset of {subset} records cannot give each of {ClientCount} clients a record.", [nameof(TrainSubset), nameof(ClientCount)]);
        }
    }
}
