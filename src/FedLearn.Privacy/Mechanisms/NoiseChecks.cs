namespace FedLearn.Privacy.Mechanisms;

internal static class NoiseChecks
{
    public static void CheckStandardDeviation(double standardDeviation)
    {
        if (!(standardDeviation >= 0) || double.IsInfinity(standardDeviation))
        {
            throw new ArgumentOutOfRangeException(nameof(standardDeviation), standardDeviation, "The noise standard deviation must be finite and ≥ 0.");
        }
    }
}
