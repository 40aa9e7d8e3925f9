namespace FedLearn.Privacy.Auditing;

/// <summary>One operating point of a membership attack: the counts of the rule "member when score ≥ threshold".</summary>
/// <param name="Threshold">The threshold (+∞ for the rule that never says "member").</param>
/// <param name="TruePositives">Members at or above the threshold.</param>
/// <param name="Members">All members.</param>
/// <param name="FalsePositives">Non-members at or above the threshold.</param>
/// <param name="NonMembers">All non-members.</param>
public sealed record RocPoint(double Threshold, int TruePositives, int Members, int FalsePositives, int NonMembers)
{
    /// <summary>TPR = true positives / members.</summary>
    public double TruePositiveRate => (double)TruePositives / Members;

    /// <summary>FPR = false positives / non-members.</summary>
    public double FalsePositiveRate => (double)FalsePositives / NonMembers;

    /// <summary>The share of all examples classified correctly: (TP + TN) / (members + non-members).</summary>
    public double Accuracy => (double)(TruePositives + NonMembers - FalsePositives) / (Members + NonMembers);
}
