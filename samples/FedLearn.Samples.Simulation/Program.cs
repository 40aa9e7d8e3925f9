using System.CommandLine;
using FedLearn.Data;
using FedLearn.Samples.Simulation;

RootCommand root = SimulationCommand.Create();
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
    SimulationSettings settings = SimulationCommand.Bind(parsed);
    return await SimulationRunner.RunAsync(settings, Console.Out, cancellation.Token);
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
