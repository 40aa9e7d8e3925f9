using System.Diagnostics;
using System.Globalization;
using FedLearn.Robust.Specs;
using FedLearn.Samples.RobustnessReport;
using FedLearn.Samples.RobustnessReport.AttackMatrix;

if (args.Length > 0 && args[0] == "attack-matrix")
{
    return await AttackMatrixCommand.RunAsync(args[1..]);
}

// Measures how well FedLearn.Robust's default UpdateScreener separates Byzantine from honest clients over the rounds
// of real federated runs (softmax regression on Fashion-MNIST), and prints a Markdown table.
ReportSettings settings;
List<ByzantineSpec> attacks;
try
{
    settings = ReportSettings.Parse(args);
    attacks = settings.Byzantine.Select(RobustSpecs.ParseByzantine).ToList();
}
catch (Exception exception) when (exception is ArgumentException or FormatException)
{
    Console.Error.WriteLine(exception.Message);
    return 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{settings.Clients} clients, {settings.Rounds} rounds, learning rate {settings.LearningRate}, seed {settings.Seed}; UpdateScreener with NormModel {settings.NormModel}{(settings.Reputation ? $", FlagByReputation and a ClientReputation with MaxFlags {settings.ReputationMaxFlags}" : string.Empty)}, other settings default."));
Console.WriteLine();
Console.WriteLine("| Partition | Byzantine | Attack | TP | FN | FP | TN | Recall | FPR | Final accuracy | Median honest norm |");
Console.WriteLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
var watch = Stopwatch.StartNew();
foreach (string partition in settings.Partitions)
{
    foreach (ByzantineSpec attack in attacks)
    {
        (DetectionCounts c, double accuracy, double norm) = DetectionExperiment.Run(settings, partition, attack);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"| {partition} | {attack.Fraction:P0} | {attack.Attack.Name} | {c.TruePositives} | {c.FalseNegatives} | {c.FalsePositives} | {c.TrueNegatives} | {c.Recall:F3} | {c.FalsePositiveRate:F3} | {accuracy:P1} | {norm:G3} |"));
    }
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Elapsed: {watch.Elapsed.TotalSeconds:F0} s"));
return 0;
