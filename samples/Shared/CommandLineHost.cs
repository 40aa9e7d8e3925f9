using System.CommandLine;
using FedLearn.Data;

namespace FedLearn.Samples.Shared;

/// <summary>
/// The part every command-line sample shares around its own work: parse errors and bad options as one line with exit
/// code 2, help and version printed by System.CommandLine, Ctrl+C as a cancellation (exit code 130).
/// </summary>
internal static class CommandLineHost
{
    /// <summary>Parses <paramref name="args"/> with <paramref name="root"/>, binds the settings and runs the sample.</summary>
    /// <typeparam name="TSettings">The sample's validated settings.</typeparam>
    /// <param name="args">The process arguments.</param>
    /// <param name="root">The sample's command.</param>
    /// <param name="bind">Binds and validates the settings; throws <see cref="UsageException"/> naming a bad option.</param>
    /// <param name="run">The sample's work; returns the exit code.</param>
    public static async Task<int> RunAsync<TSettings>(string[] args, RootCommand root, Func<ParseResult, TSettings> bind, Func<TSettings, TextWriter, CancellationToken, Task<int>> run)
    {
        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            Console.Error.WriteLine($"error: {parsed.Errors[0].Message}");
            return 2;
        }

        if (parsed.Action is not null && parsed.Action.GetType().Name.Contains("Help", StringComparison.Ordinal) || args.Contains("--version"))
        {
            return parsed.Invoke();
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        try
        {
            return await run(bind(parsed), Console.Out, cancellation.Token).ConfigureAwait(false);
        }
        catch (UsageException exception)
        {
            Console.Error.WriteLine($"error: {exception.Message}");
            return 2;
        }
        catch (DatasetNotFoundException exception)
        {
            Console.Error.WriteLine($"error: --data-dir: {exception.Message.ReplaceLineEndings(" ")}");
            return 2;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled.");
            return 130;
        }
    }
}
