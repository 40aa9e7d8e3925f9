namespace FedLearn.Torch.Privacy;

/// <summary>
/// Poisson sampling of batches: every record joins a batch independently with probability q, so batch sizes vary
/// around q·N (and may be zero). This is the sampling the subsampled-Gaussian accountant assumes.
/// </summary>
internal static class PoissonSampler
{
    /// <summary>Appends to <paramref name="batch"/> the positions 0 … <paramref name="count"/> − 1 that are drawn, in order.</summary>
    /// <param name="random">The source of the draws.</param>
    /// <param name="count">N, the number of records.</param>
    /// <param name="sampleRate">q in [0, 1].</param>
    /// <param name="batch">Cleared, then filled.</param>
    public static void Draw(DeterministicRandom random, int count, double sampleRate, List<int> batch)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(sampleRate >= 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in [0, 1].");
        }

        batch.Clear();
        for (int i = 0; i < count; i++)
        {
            if (random.NextDouble() < sampleRate)
            {
                batch.Add(i);
            }
        }
    }
}
