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

    /// <summary>
    /// Normal values in runs ("layers") of 1,000 to 200,000 elements whose scales differ by up to two orders of
    /// magnitude, so that the largest values, and a top-k selection, cluster in the large-scale runs as they do in a
    /// real model update. Its top-k positions are coded with a Rice parameter per block.
    /// </summary>
    public static float[] Layered(int length, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        float[] values = new float[length];
        for (int start = 0; start < length;)
        {
            int end = (int)Math.Min(length, start + 1_000L + random.NextInt(199_001));
            double scale = 1e-3 * Math.Pow(10, (2 * random.NextDouble()) - 1);
            for (int i = start; i < end; i++)
            {
                values[i] = (float)(random.NextGaussian() * scale);
            }

            start = end;
        }

        return values;
    }
}
