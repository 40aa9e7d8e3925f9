namespace FedLearn.Privacy.Mechanisms;

/// <summary>
/// The Gaussian mechanism on a float vector: adds N(0, (σ·Δ₂)²) to every coordinate, where Δ₂ is the L2 sensitivity of
/// the released value and σ the noise multiplier. Thread-safe when the noise source is used by one thread.
/// </summary>
/// <remarks>
/// Dwork and Roth 2014, "The Algorithmic Foundations of Differential Privacy", Section 3.5.3; its RDP is α/(2σ²) per
/// release (Mironov 2017), which <see cref="Accounting.RdpAccountant"/> tracks with sample rate 1.
/// </remarks>
public static class GaussianMechanism
{
    /// <summary>Adds N(0, (<paramref name="noiseMultiplier"/>·<paramref name="sensitivity"/>)²) noise to every value.</summary>
    /// <param name="values">The released vector, perturbed in place.</param>
    /// <param name="sensitivity">Δ₂ &gt; 0, the largest L2 change one individual can cause (for example the clipping norm).</param>
    /// <param name="noiseMultiplier">σ ≥ 0.</param>
    /// <param name="noise">The noise source.</param>
    /// <returns>The standard deviation used, σ·Δ₂.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="noise"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sensitivity is not positive and finite, or σ is negative or not finite.</exception>
    public static double AddNoise(Span<float> values, double sensitivity, double noiseMultiplier, IGaussianNoiseSource noise)
    {
        ArgumentNullException.ThrowIfNull(noise);
        if (!(sensitivity > 0) || double.IsInfinity(sensitivity))
        {
            throw new ArgumentOutOfRangeException(nameof(sensitivity), sensitivity, "The sensitivity must be positive and finite.");
        }

        if (!(noiseMultiplier >= 0) || double.IsInfinity(noiseMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The noise multiplier must be finite and ≥ 0.");
        }

        double standardDeviation = noiseMultiplier * sensitivity;
        noise.AddNoise(values, standardDeviation);
        return standardDeviation;
    }
}
