using System.Globalization;
using Spectre.Console;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>The end-of-run table: one row per round, then the totals.</summary>
internal static class SummaryTable
{
    public static void Write(SimulationSummary summary, string folder, TextWriter plain)
    {
        if (ConsoleProgress.Interactive)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("FedLearn simulation");
            foreach (string column in new[] { "round", "clients", "test loss", "test accuracy", "bytes up", "bytes down", "seconds" })
            {
                table.AddColumn(new TableColumn(column).RightAligned());
            }

            foreach (RoundRow r in summary.Rounds)
            {
                table.AddRow(
                    r.Round.ToString(CultureInfo.InvariantCulture),
                    $"{r.ClientsResponded}/{r.ClientsSampled}",
                    Format.Number(r.Loss, "F4"),
                    Format.Percent(r.Accuracy),
                    Format.Bytes(r.BytesUp),
                    Format.Bytes(r.BytesDown),
                    r.Seconds.ToString("F1", CultureInfo.InvariantCulture));
            }

            AnsiConsole.Write(table);
        }

        plain.WriteLine();
        plain.WriteLine($"final accuracy  {Format.Percent(summary.FinalAccuracy)}");
        plain.WriteLine($"bytes up/down   {Format.Bytes(summary.TotalBytesUp)} / {Format.Bytes(summary.TotalBytesDown)}");
        plain.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time       {summary.WallSeconds:F1} s, peak memory {Format.Bytes(summary.PeakMemoryBytes)}"));
        plain.WriteLine($"results         {Path.GetFullPath(folder)} (summary.json, rounds.csv, accuracy.png, model.safetensors)");
    }
}
