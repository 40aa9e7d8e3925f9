using System.CommandLine;
using System.Globalization;
using FedLearn.Data;
using FedLearn.Samples.MembershipAudit;

// Trains a target model on a small member set of Fashion-MNIST, shadow models on disjoint data, and attacks the
// target by membership inference; prints AUC, TPR at low FPR and the empirical ε lower bound for each --epsilon.
// Usage: dotnet run --project samples/FedLearn.Samples.MembershipAudit -c Release -- --members 1000 --epochs 40
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

RootCommand root = AuditCommand.Create();
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
    AuditSettings settings = AuditCommand.Bind(parsed);
    return await AuditRunner.RunAsync(settings, Console.Out, cancellation.Token);
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
    Console.Error.WriteLine("cancelled");
    return 130;
}
