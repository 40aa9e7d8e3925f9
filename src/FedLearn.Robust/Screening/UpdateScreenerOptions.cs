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
    /// What the norm's z-score is taken against: one typical norm for every client, or a typical norm that grows with
    /// the example count each client reports.
    /// </summary>
    /// <value><see cref="NormModel.Pooled"/>, see <see cref="UpdateScreenerDefaults.NormModel"/>.</value>
    /// <remarks>
    /// <para>With <see cref="NormModel.ExampleCount"/> the score is the modified z-score of the ratio of ‖Δ‖ to the
    /// typical norm e^a·n^b of its reported count n, the line ln‖Δ‖ = a + b·ln n fitted by Siegel's repeated median
    /// (1982) with b kept in [0, 1] and refitted once without the updates it already flags; an update whose reported
    /// count is not positive and finite is flagged and excluded (FedAvg would reject it anyway).</para>
    /// <para>The count is the client's word, and it also sets its FedAvg weight. Claiming c times more examples than it
    /// holds makes its update look short for that size unless it also lengthens it by c^b (at most c) — and then it
    /// passes with c times the weight, a lever FedAvg leaves open with or without screening; cap weights in the
    /// aggregator, or use an unweighted robust rule, where that matters. Claiming fewer makes its update look long for
    /// its size and lowers its weight: it gains nothing.</para>
    /// <para>Not the default: on Fashion-MNIST with Dirichlet(1) client sizes it catches more boosted updates of small
    /// clients but flags more honest clients whose norms stray from their size's line for other reasons (label skew);
    /// the trade-off is measured in docs/results/robustness.md.</para>
    /// </remarks>
    [EnumDataType(typeof(NormModel), ErrorMessage = "must be Pooled or ExampleCount.")]
    public NormModel NormModel { get; set; } = UpdateScreenerDefaults.NormModel;

    /// <summary>
    /// Flag an update whose cosine similarity to the robust centre (the coordinate-wise median) is this many scaled
    /// MADs below the median cosine.
    /// </summary>
    /// <value>3.5, see <see cref="UpdateScreenerDefaults.CosineThreshold"/>.</value>
    [Range(0.0, double.MaxValue)]
    public double CosineThreshold { get; set; } = UpdateScreenerDefaults.CosineThreshold;

    /// <summary>
    /// Flag an update that is aligned with no other update: its largest cosine to any other update is at most k/√d
    /// for d parameters. Independent directions have cosines of about N(0, 1/d), so noise is aligned with nobody,
    /// while an honest update, however unusual its data, shares a direction with the clients whose data resemble its own.
    /// </summary>
    /// <value>4, see <see cref="UpdateScreenerDefaults.AlignmentSigmas"/> (the largest of 49 chance cosines exceeds 4/√d with probability 0.0015).</value>
    [Range(0.0, double.MaxValue)]
    public double AlignmentSigmas { get; set; } = UpdateScreenerDefaults.AlignmentSigmas;

    /// <summary>Flag any update whose cosine to the robust centre is below this value (it points against the consensus); null turns the check off.</summary>
    /// <value>0, see <see cref="UpdateScreenerDefaults.MinCosine"/>.</value>
    /// <remarks>
    /// Under non-IID data the honest cosines spread too widely for the z-score to separate sign-flipped updates; their
    /// sign does. FLTrust (Cao et al. 2021) likewise gives no trust to updates with a negative cosine to its reference.
    /// </remarks>
    [Range(-1.0, 1.0)]
    public double? MinCosine { get; set; } = UpdateScreenerDefaults.MinCosine;

    /// <summary>
    /// Also flag a client whose record in the screener's <see cref="ClientReputation"/> makes it ineligible (flagged in at
    /// least <see cref="ClientReputationOptions.MaxFlags"/> of the last <see cref="ClientReputationOptions.Window"/>
    /// rounds), however its update looks this round. Only the statistical flags are recorded in the reputation, so a
    /// client's record ages out as it does for sampling. Has no effect without a reputation.
    /// </summary>
    /// <value>False, see <see cref="UpdateScreenerDefaults.FlagByReputation"/>.</value>
    /// <remarks>
    /// A Byzantine client attacks every round, but in a single round some attacks are indistinguishable from honest
    /// heterogeneity (a sign-flipped update of a client whose honest update opposes the consensus, a boosted update of a
    /// client whose honest update is short); its record across rounds is not. This is the server's eligibility rule applied
    /// to a client that sends an update anyway (for example when every client is sampled).
    /// </remarks>
    public bool FlagByReputation { get; set; } = UpdateScreenerDefaults.FlagByReputation;

    /// <summary>Whether flagged updates are left out of aggregation (updates with non-finite values always are).</summary>
    /// <value>True, see <see cref="UpdateScreenerDefaults.ExcludeFlagged"/>.</value>
    public bool ExcludeFlagged { get; set; } = UpdateScreenerDefaults.ExcludeFlagged;
}
