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
    long PeakMemoryBytes,
    double? CompressionRatio)
{
    /// <summary>ε spent over the whole run (null without differential privacy; "Infinity" when no noise was added).</summary>
    [System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double? Epsilon { get; init; }

    /// <summary>δ of <see cref="Epsilon"/> (null without differential privacy).</summary>
    public double? Delta { get; init; }

    public static SimulationSummary From(SimulationSettings settings, FederatedRunResult run, int parameters, TimeSpan wall, MemoryProbe memory, Func<IEnumerable<string>, IReadOnlyList<string>>? byzantineAmong = null)
    {
        RoundRow[] rows = run.Rounds.Select(r => RoundRow.From(r, memory.ResidentBytesAfter(r.Round), Math.Min(settings.MaxParallelism, Math.Max(1, r.Sampled.Count))) with
        {
            Flagged = r.Flagged.Select(f => f.ClientId).ToArray(),
            Byzantine = byzantineAmong?.Invoke(r.Sampled) ?? [],
        }).ToArray();
        long up = rows.Sum(r => r.BytesUp);
        long dense = rows.Sum(r => r.DenseBytesUp);
        RoundRow? last = rows.LastOrDefault(r => r.Accuracy is not null);
        return new SimulationSummary(
            settings,
            rows,
            last?.Accuracy,
            last?.Loss,
            up,
            rows.Sum(r => r.BytesDown),
            dense,
            wall.TotalSeconds,
            parameters,
            PeakMemory.ReadBytes(),
            up > 0 ? (double)dense / up : null);
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
    double ClientTrainingSeconds,
    double EvaluateSeconds,
    double OverheadSeconds,
    double? CompressionRatio,
    long ResidentBytes,
    string? FailureReason)
{
    /// <summary>Clients flagged by screening in this round.</summary>
    public IReadOnlyList<string> Flagged { get; init; } = [];

    /// <summary>The Byzantine clients sampled in this round (the truth the flags are scored against).</summary>
    public IReadOnlyList<string> Byzantine { get; init; } = [];

    /// <summary>ε spent up to and including this round (null without differential privacy; "Infinity" when no noise was added).</summary>
    [System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double? Epsilon { get; init; }

    /// <summary>δ of <see cref="Epsilon"/> (null without differential privacy).</summary>
    public double? Delta { get; init; }

    public static RoundRow From(RoundResult result, long residentBytes, int parallelism)
    {
        RoundTimings t = result.Timings;
        // Overhead: the round minus local training and evaluation. Clients train `parallelism` at a time, so local
        // training occupies about (sum of the clients' training times) / parallelism of the round's wall time; the rest
        // (dispatch, delta and encoding on the client, decoding, aggregation, the optimizer step, checkpoints) is overhead.
        double training = Math.Max(t.SlowestClientTraining.TotalSeconds, t.TotalClientTraining.TotalSeconds / parallelism);
        double overhead = Math.Max(0, t.Total.TotalSeconds - training - t.Evaluate.TotalSeconds);
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
            t.TotalClientTraining.TotalSeconds,
            t.Evaluate.TotalSeconds,
            overhead,
            result.BytesUp > 0 ? (double)result.DenseBytesUp / result.BytesUp : null,
            residentBytes,
            result.FailureReason);
    }
}
