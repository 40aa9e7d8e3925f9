namespace FedLearn.Privacy.Mechanisms;

/// <summary>
/// Gaussian noise from <see cref="DeterministicRandom"/>: the same seed gives the same noise on every machine, for
/// reproducible simulations. Predictable from its seed, so it protects nobody against a party that knows or can guess
/// the seed: use <see cref="SecureGaussianNoise"/> in deployments. Not thread-safe.
/// </summary>
public sealed class SeededGaussianNoise : IGaussianNoiseSource
{
    private readonly DeterministicRandom _random;

    /// <summary>Creates a source from a 64-bit seed.</summary>
    /// <param name="seed">The seed; derive it with <see cref="Seeds.Derive(ulong, ReadOnlySpan{long})"/> per purpose.</param>
    public SeededGaussianNoise(ulong seed) => _random = new DeterministicRandom(seed);

    /// <inheritdoc />
    /// <value><c>seeded</c>.</value>
    public string Name => "seeded";

    /// <inheritdoc />
    public double NextStandardNormal() => _random.NextGaussian();

    /// <inheritdoc />
    public void AddNoise(Span<float> values, double standardDeviation)
    {
        NoiseChecks.CheckStandardDeviation(standardDeviation);
        if (standardDeviation == 0)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] + (standardDeviation * _random.NextGaussian()));
        }
    }
}
