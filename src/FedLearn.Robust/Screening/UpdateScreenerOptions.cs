using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.Screening;

/// <summary>Settings of <see cref="UpdateScreener"/>.</summary>
/// <remarks>
/// The z-scores are modified z-scores (Iglewicz and Hoaglin 1993): (value − median) / (1.4826·MAD), robust to the
/// outliers they look for as long as fewer than half the clients are outliers.
/// </remarks>
public sealed class UpdateScreenerOptions
{
    /// <summary>Flag an update whose norm's modified z-score exceeds this in absolute value (too long or too short).</summary>
    /// <value>3.5, see <see cref="UpdateScreenerDefaults.NormThreshold"/>.</value>
    [Range(0.0, double.MaxValue)]
    public double NormThreshold { get; set; } = UpdateScreenerDefaults.NormThreshold;

    /// <summary>
    /// Flag an update whose cosine similarity to the robust centre (the coordinate-wise median) is this many scaled
    /// MADs below the median cosine.
    /// </summary>
    /// <value>3.5, see <see cref="UpdateScreenerDefaults.CosineThreshold"/>.</value>
    [Range(0.0, double.MaxValue)]
    public double CosineThreshold { get; set; } = UpdateScreenerDefaults.CosineThreshold;

    /// <summary>
    /// Flag an update whose cosine to the robust centre is not significantly positive: below k/√d for d parameters.
    /// A direction independent of the centre has a cosine of about N(0, 1/d), so k = 3 flags random noise with
    /// probability 0.9987 while an update that points the same way as the others passes. 0 flags only negative cosines.
    /// </summary>
    /// <value>3, see <see cref="UpdateScreenerDefaults.AlignmentSigmas"/>.</value>
    /// <remarks>
    /// Sign-flipped and noise updates are anti-aligned or unaligned with the consensus whatever the spread of honest
    /// cosines, which under non-IID data is too wide for the z-score alone; FLTrust (Cao et al. 2021) likewise gives no
    /// trust to updates with a non-positive cosine to its reference direction.
    /// </remarks>
    [Range(0.0, double.MaxValue)]
    public double AlignmentSigmas { get; set; } = UpdateScreenerDefaults.AlignmentSigmas;

    /// <summary>Also flag any update whose cosine to the robust centre is below this value; null turns the check off.</summary>
    /// <value>Null (off).</value>
    [Range(-1.0, 1.0)]
    public double? MinCosine { get; set; }

    /// <summary>Whether flagged updates are left out of aggregation (updates with non-finite values always are).</summary>
    /// <value>True, see <see cref="UpdateScreenerDefaults.ExcludeFlagged"/>.</value>
    public bool ExcludeFlagged { get; set; } = UpdateScreenerDefaults.ExcludeFlagged;
}
