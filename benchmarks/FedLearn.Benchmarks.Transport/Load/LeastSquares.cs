namespace FedLearn.Benchmarks.Transport.Load;

/// <summary>The slope of an ordinary least-squares line through points.</summary>
internal static class LeastSquares
{
    /// <summary>Slope of y against x; needs at least two distinct x.</summary>
    public static double Slope(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        if (x.Count != y.Count || x.Distinct().Count() < 2)
        {
            throw new ArgumentException($"A slope needs as many y as x ({x.Count} x, {y.Count} y) and two distinct x.");
        }

        double meanX = x.Average(), meanY = y.Average();
        double covariance = 0, variance = 0;
        for (int i = 0; i < x.Count; i++)
        {
            covariance += (x[i] - meanX) * (y[i] - meanY);
            variance += (x[i] - meanX) * (x[i] - meanX);
        }

        return covariance / variance;
    }
}
