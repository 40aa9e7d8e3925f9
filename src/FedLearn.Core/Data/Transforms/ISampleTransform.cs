namespace FedLearn.Data;

/// <summary>
/// A random augmentation applied to one record's features as a trainer copies it into a batch (a flip, a crop, ...).
/// Implementations hold no mutable state, so one instance serves every client and thread; all randomness comes from
/// the generator the caller passes, which makes augmentation reproducible per client and round.
/// </summary>
public interface ISampleTransform
{
    /// <summary>Writes the transformed <paramref name="input"/> to <paramref name="output"/>.</summary>
    /// <param name="input">One record's features; read only.</param>
    /// <param name="output">Where to write; the same length as <paramref name="input"/> and not overlapping it.</param>
    /// <param name="random">The caller's generator, used for every random choice.</param>
    /// <exception cref="ArgumentException">The spans differ in length from each other or from the record size, or overlap.</exception>
    void Apply(ReadOnlySpan<float> input, Span<float> output, DeterministicRandom random);
}
