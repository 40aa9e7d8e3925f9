namespace FedLearn.Benchmarks.Compression;

/// <summary>Reproducible input vectors for the benchmarks and the ratio report.</summary>
internal static class Vectors
{
    /// <summary>Standard normal values scaled to a typical update magnitude.</summary>
    public static float[] Gaussian(int length, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = (float)(random.NextGaussian() * 1e-3);
        }

        return values;
    }

    /// <summary>Student-t with 3 degrees of freedom (heavy tails, as gradient coordinates often have).</summary>
    public static float[] StudentT3(int length, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++)
        {
            double chiSquare = (2 * random.NextGamma(1.5)) / 3;
            values[i] = (float)(random.NextGaussian() / Math.Sqrt(chiSquare) * 1e-3);
        }

        return values;
    }
}
