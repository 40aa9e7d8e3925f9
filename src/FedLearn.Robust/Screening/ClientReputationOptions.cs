using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.Screening;

/// <summary>Settings of <see cref="ClientReputation"/>.</summary>
public sealed class ClientReputationOptions
{
    /// <summary>How many past rounds count: round r looks at rounds r − Window … r − 1.</summary>
    /// <value>10, see <see cref="UpdateScreenerDefaults.Window"/>.</value>
    [Range(1, int.MaxValue)]
    public int Window { get; set; } = UpdateScreenerDefaults.Window;

    /// <summary>A client flagged in at least this many rounds of the window is not sampled.</summary>
    /// <value>3, see <see cref="UpdateScreenerDefaults.MaxFlags"/>.</value>
    [Range(1, int.MaxValue)]
    public int MaxFlags { get; set; } = UpdateScreenerDefaults.MaxFlags;
}
