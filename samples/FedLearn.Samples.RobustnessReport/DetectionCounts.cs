namespace FedLearn.Samples.RobustnessReport;

/// <summary>Confusion counts of screening over the client-rounds of a run (positive = flagged as Byzantine).</summary>
internal sealed class DetectionCounts
{
    public int TruePositives { get; set; }

    public int FalseNegatives { get; set; }

    public int FalsePositives { get; set; }

    public int TrueNegatives { get; set; }

    public double Recall => TruePositives + FalseNegatives == 0 ? double.NaN : (double)TruePositives / (TruePositives + FalseNegatives);

    public double FalsePositiveRate => FalsePositives + TrueNegatives == 0 ? double.NaN : (double)FalsePositives / (FalsePositives + TrueNegatives);
}
