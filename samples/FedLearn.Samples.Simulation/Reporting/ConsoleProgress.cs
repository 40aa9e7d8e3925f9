using System.Diagnostics;
using System.Globalization;
using FedLearn.Server;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>Prints one line per round and a summary at the end.</summary>
internal sealed class ConsoleProgress(TextWriter output, int rounds) : IRoundObserver
{
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly object _gate = new();
    private int _roundsDone;

    public void OnRoundStarted(int round, IReadOnlyList<string> sampled)
    {
    }

    public void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled)
    {
    }

    public void OnRoundCompleted(RoundResult result)
    {
        lock (_gate)
        {
            _roundsDone++;
            TimeSpan elapsed = _elapsed.Elapsed;
            TimeSpan remaining = _roundsDone == 0 ? TimeSpan.Zero : elapsed / _roundsDone * Math.Max(0, rounds - result.Round);
            string accuracy = result.CentralEvaluation is { } central ? central.Accuracy.ToString("P2", CultureInfo.InvariantCulture) : "-";
            string loss = result.CentralEvaluation is { } c ? c.Loss.ToString("F4", CultureInfo.InvariantCulture) : "-";
            string status = result.Succeeded ? string.Empty : $"  FAILED: {result.FailureReason}";
            output.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"round {result.Round,3}/{rounds}  clients {result.Aggregated.Count}/{result.Sampled.Count}  loss {loss}  accuracy {accuracy}  up {Bytes(result.BytesUp)}  down {Bytes(result.BytesDown)}  {result.Timings.Total.TotalSeconds:F1} s  elapsed {elapsed:hh\\:mm\\:ss}  remaining {remaining:hh\\:mm\\:ss}{status}"));
        }
    }

    public void WriteSummary(SimulationSummary summary, string folder)
    {
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"final accuracy  {summary.FinalAccuracy?.ToString("P2", CultureInfo.InvariantCulture) ?? "-"}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bytes up/down   {Bytes(summary.TotalBytesUp)} / {Bytes(summary.TotalBytesDown)}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wall time       {summary.WallSeconds:F1} s, peak memory {Bytes(summary.PeakMemoryBytes)}"));
        output.WriteLine($"results         {Path.GetFullPath(folder)}");
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):F2} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):F1} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):F1} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
