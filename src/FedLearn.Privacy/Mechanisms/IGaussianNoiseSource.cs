namespace FedLearn.Privacy.Mechanisms;

/// <summary>
/// A source of independent standard normal samples for the Gaussian mechanism. Implementations are not thread-safe:
/// give each client, aggregator or training loop its own.
/// </summary>
public interface IGaussianNoiseSource
{
    /// <summary>Short name for logs and results (for example <c>secure</c>, <c>seeded</c>).</summary>
    string Name { get; }

    /// <summary>One sample of N(0, 1).</summary>
    double NextStandardNormal();

    /// <summary>Adds independent N(0, <paramref name="standardDeviation"/>²) noise to every element of <paramref name="values"/>.</summary>
    /// <param name="values">The vector to perturb in place; the caller owns it. Empty means nothing to do.</param>
    /// <param name="standardDeviation">The noise standard deviation; finite and ≥ 0 (0 leaves the values unchanged).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="standardDeviation"/> is negative, infinite or NaN.</exception>
    void AddNoise(Span<float> values, double standardDeviation);
}
