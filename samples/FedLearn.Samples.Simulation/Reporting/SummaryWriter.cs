using System.Globalization;
using System.Text;
using System.Text.Json;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>Writes summary.json and rounds.csv.</summary>
internal static class SummaryWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void Write(SimulationSummary summary, string folder)
    {
        File.WriteAllText(Path.Combine(folder, "summary.json"), JsonSerializer.Serialize(summary, Json));

        var csv = new StringBuilder("round,succeeded,accuracy,loss,train_loss,bytes_up,bytes_down,dense_bytes_up,clients_sampled,clients_responded,clients_failed,seconds,fit_seconds,slowest_client_seconds,client_training_seconds,evaluate_seconds,overhead_seconds,compression_ratio,resident_bytes\n");
        foreach (RoundRow r in summary.Rounds)
        {
            csv.AppendLine(string.Join(',',
                r.Round.ToString(CultureInfo.InvariantCulture),
                r.Succeeded ? "true" : "false",
                Number(r.Accuracy),
                Number(r.Loss),
                Number(r.TrainLoss),
                r.BytesUp.ToString(CultureInfo.InvariantCulture),
                r.BytesDown.ToString(CultureInfo.InvariantCulture),
                r.DenseBytesUp.ToString(CultureInfo.InvariantCulture),
                r.ClientsSampled.ToString(CultureInfo.InvariantCulture),
                r.ClientsResponded.ToString(CultureInfo.InvariantCulture),
                r.ClientsFailed.ToString(CultureInfo.InvariantCulture),
                Number(r.Seconds),
                Number(r.FitSeconds),
                Number(r.SlowestClientSeconds),
                Number(r.ClientTrainingSeconds),
                Number(r.EvaluateSeconds),
                Number(r.OverheadSeconds),
                Number(r.CompressionRatio),
                r.ResidentBytes.ToString(CultureInfo.InvariantCulture)));
        }

        File.WriteAllText(Path.Combine(folder, "rounds.csv"), csv.ToString());
    }

    private static string Number(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : string.Empty;
}
