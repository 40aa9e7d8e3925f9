namespace FedLearn.Privacy.Tests.ClientLevel;

// Sound checks that a vector is mean + N(0, σ²) noise: the sample mean within 5.3 standard errors and (n − 1)s²/σ²
// within 5.3 standard deviations of its χ²(n − 1) mean. A correct implementation fails with probability below 1e−7.
internal static class NoiseStatistics
{
    private const double Z = 5.3;

    public static bool HasMeanAndStandardDeviation(ReadOnlySpan<float> values, double mean, double sigma)
    {
        int n = values.Length;
        double sampleMean = 0;
        foreach (float v in values)
        {
            sampleMean += v;
        }

        sampleMean /= n;
        double sumSquares = 0;
        foreach (float v in values)
        {
            sumSquares += (v - sampleMean) * (v - sampleMean);
        }

        double chiSquare = sumSquares / (sigma * sigma);
        return Math.Abs(sampleMean - mean) < Z * sigma / Math.Sqrt(n)
            && Math.Abs(chiSquare - (n - 1)) < Z * Math.Sqrt(2.0 * (n - 1));
    }
}
