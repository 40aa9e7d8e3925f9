using System.Diagnostics;
using System.Globalization;
using FedLearn.Server;
using Spectre.Console;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>
/// Shows progress while the federation runs: on a terminal, a live bar with the round, clients done, loss,
/// accuracy, bytes and elapsed/remaining time; otherwise (output redirected) one plain line per round.
/// </summary>
internal sealed class ConsoleProgress : IRoundObserver
{
    private readonly int _rounds;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();
    private readonly object _gate = new();
    private readonly TextWriter _plain;
    private ProgressTask? _task;
    private int _roundsDone;
    private string _last = "starting";
    private int _round;
    private int _sampled;
    private int _finished;

    public ConsoleProgress(TextWriter plain, int rounds)
    {
        _plain = plain;
        _rounds = rounds;
    }

    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="work"/> under the live display when the console is a terminal.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        if (!Interactive)
        {
            return await work().ConfigureAwait(false);
        }

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                _task = context.AddTask("starting", maxValue: _rounds);
                result = await work().ConfigureAwait(false);
                _task.Value = _task.MaxValue;
                _task.StopTask();
            }).ConfigureAwait(false);
        return result;
    }

    public void OnRoundStarted(int round, IReadOnlyList<string> sampled)
    {
        lock (_gate)
        {
            _round = round;
            _sampled = sampled.Count;
            _finished = 0;
            Describe();
        }
    }

    public void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled)
    {
        lock (_gate)
        {
            _finished = Math.Max(_finished, finished);
            if (_task is not null)
            {
                _task.Value = _roundsDone + ((double)_finished / Math.Max(1, _sampled));
            }

            Describe();
        }
    }

    public void OnRoundCompleted(RoundResult result)
    {
        lock (_gate)
        {
            _roundsDone++;
            string accuracy = result.CentralEvaluation is { } central ? central.Accuracy.ToString("P2", CultureInfo.InvariantCulture) : "-";
            string loss = result.CentralEvaluation is { } c ? c.Loss.ToString("F4", CultureInfo.InvariantCulture) : "-";
            _last = string.Create(CultureInfo.InvariantCulture, $"loss {loss}  acc {accuracy}  up {Format.Bytes(result.BytesUp)}  down {Format.Bytes(result.BytesDown)}");
            if (_task is not null)
            {
                _task.Value = _roundsDone;
                Describe();
                foreach (ClientFailure failure in result.Failures)
                {
                    AnsiConsole.WriteLine(FailureLine(result.Round, failure));
                }

                return;
            }

            TimeSpan elapsed = _elapsed.Elapsed;
            TimeSpan remaining = elapsed / _roundsDone * Math.Max(0, _rounds - result.Round);
            string status = result.Succeeded ? string.Empty : $"  FAILED: {result.FailureReason}";
            _plain.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"round {result.Round,3}/{_rounds}  clients {result.Aggregated.Count}/{result.Sampled.Count}  {_last}  {result.Timings.Total.TotalSeconds:F1} s  elapsed {elapsed:hh\\:mm\\:ss}  remaining {remaining:hh\\:mm\\:ss}{status}"));
            foreach (ClientFailure failure in result.Failures)
            {
                _plain.WriteLine(FailureLine(result.Round, failure));
            }
        }
    }

    // Why a sampled client is missing from the round, so a run that aggregates fewer clients says which and why.
    private static string FailureLine(int round, ClientFailure failure) =>
        string.Create(CultureInfo.InvariantCulture, $"round {round,3}: client {failure.ClientId} left out ({failure.Kind}): {failure.Message}");

    private void Describe()
    {
        if (_task is not null)
        {
            _task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"round {_round}/{_rounds}  clients {_finished}/{_sampled}  {_last}"));
        }
    }
}
