namespace FedLearn.Robust.Screening;

/// <summary>Defaults of <see cref="UpdateScreenerOptions"/> and <see cref="ClientReputationOptions"/>.</summary>
public static class UpdateScreenerDefaults
{
    /// <summary>Default modified z-score above which a norm is an outlier: 3.5 (Iglewicz and Hoaglin 1993).</summary>
    public const double NormThreshold = 3.5;

    /// <summary>Default modified z-score of a low cosine above which an update points the wrong way: 3.5.</summary>
    public const double CosineThreshold = 3.5;

    /// <summary>Default number k of chance standard deviations (1/√d) an update's best cosine to another update must exceed: 4.</summary>
    public const double AlignmentSigmas = 4;

    /// <summary>Default smallest cosine to the robust centre: 0 (an update must not point against the consensus).</summary>
    public const double MinCosine = 0;

    /// <summary>Default typical norm: <see cref="NormModel.Pooled"/>, one for every client.</summary>
    public const NormModel NormModel = Screening.NormModel.Pooled;

    /// <summary>Default for flagging clients whose reputation makes them ineligible: false.</summary>
    public const bool FlagByReputation = false;

    /// <summary>Default for excluding flagged updates from aggregation: true.</summary>
    public const bool ExcludeFlagged = true;

    /// <summary>Default number of rounds the reputation looks back: 10.</summary>
    public const int Window = 10;

    /// <summary>Default number of flagged rounds within the window that makes a client ineligible: 3.</summary>
    public const int MaxFlags = 3;

    /// <summary>Fewest finite updates for the statistical checks; below it only non-finite values are flagged.</summary>
    public const int MinimumForStatistics = 3;
}
