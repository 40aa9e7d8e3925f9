using FedLearn.Server;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>What summary.json holds (snake_case on disk).</summary>
internal sealed record SimulationSummary(
    SimulationSettings Config,
    IReadOnlyList<RoundRow> Rounds,
    double? FinalAccuracy,
    double? FinalLoss,
    long TotalBytesUp,
    long TotalBytesDown,
    long TotalDenseBytesUp,
    double WallSeconds,
    int ModelParameters,
    long PeakMemoryBytes)
{
    public static SimulationSummary From(SimulationSettings settings, FederatedRunResult run, int parameters, TimeSpan wall)
    {
        RoundRow[] rows = run.Rounds.Select(RoundRow.From).ToArray();
        RoundRow? last = rows.LastOrDefault(r => r.Accuracy is not null);
        return new SimulationSummary(
            settings,
            rows,
            last?.Accuracy,
            last?.Loss,
            rows.Sum(r => r.BytesUp),
            rows.Sum(r => r.BytesDown),
            rows.Sum(r => r.DenseBytesUp),
            wall.TotalSeconds,
            parameters,
            PeakMemory.ReadBytes());
    }
}

/// <summary>One round in summary.json and rounds.csv.</summary>
internal sealed record RoundRow(
    int Round,
    bool Succeeded,
    double? Accuracy,
    double? Loss,
    double? TrainLoss,
    double? FederatedAccuracy,
    long BytesUp,
    long BytesDown,
    long DenseBytesUp,
    int ClientsSampled,
    int ClientsResponded,
    int ClientsFailed,
    double Seconds,
    double FitSeconds,
    double SlowestClientSeconds,
    double OverheadSeconds,
    string? FailureReason)
{
    public static RoundRow From(RoundResult result)
    {
        RoundTimings t = result.Timings;
        // Overhead: the round minus local training (the slowest client, which bounds the fit stage) and evaluation.
        double overhead = Math.Max(0, t.Total.TotalSeconds - t.SlowestClientTraining.TotalSeconds - t.Evaluate.TotalSeconds);
        return new RoundRow(
            result.Round,
            result.Succeeded,
            result.CentralEvaluation?.Accuracy,
            result.CentralEvaluation?.Loss,
            result.Training?.Loss,
            result.FederatedEvaluation?.Accuracy,
            result.BytesUp,
            result.BytesDown,
            result.DenseBytesUp,
            result.Sampled.Count,
            result.Aggregated.Count,
            result.Failures.Count,
            t.Total.TotalSeconds,
            t.Fit.TotalSeconds,
            t.SlowestClientTraining.TotalSeconds,
            overhead,
            result.FailureReason);
    }
}
