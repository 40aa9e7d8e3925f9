using System.Diagnostics.Metrics;
using FedLearn.Telemetry;

namespace FedLearn.Robust.Screening;

/// <summary>Screening's instruments on the shared FedLearn meter.</summary>
internal static class ScreeningTelemetry
{
    /// <summary>Tag naming which robust statistic a score is: <c>norm</c> (|modified z| of the update norm) or <c>cosine</c> (one-sided modified z of the cosine to the robust centre).</summary>
    public const string StatisticTag = "fedlearn.screening.statistic";

    public static Histogram<double> AnomalyScore { get; } = FedLearnTelemetry.Meter.CreateHistogram<double>(
        "fedlearn.screening.anomaly.score",
        "1",
        "Every screened update's robust z-score, by statistic (norm or cosine); flagged above the configured thresholds.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 3, 3.5, 5, 10, 25, 100] });
}
