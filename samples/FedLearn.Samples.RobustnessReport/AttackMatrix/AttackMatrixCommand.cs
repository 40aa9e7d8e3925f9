using System.Globalization;
using FedLearn.Robust.Specs;

namespace FedLearn.Samples.RobustnessReport.AttackMatrix;

/// <summary>
/// <c>attack-matrix</c>: final accuracy of federated training under every combination of partition, Byzantine setting,
/// aggregator, pre-aggregator and screening, all in one process so that the data and LibTorch load once. Prints one
/// Markdown row per run as it finishes and, with <c>--results</c>, appends the same as CSV.
/// </summary>
internal static class AttackMatrixCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        MatrixSettings settings;
        List<MatrixCase> cases;
        try
        {
            settings = MatrixSettings.Parse(args);
            cases = Expand(settings);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException)
        {
            Console.Error.WriteLine(exception.Message);
            return 2;
        }

        var run = new MatrixRun(settings);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"attack-matrix: {settings.Model} ({run.Parameters(run.Load(settings.Partitions[0])):N0} parameters), {settings.Clients} clients, {settings.Rounds} rounds, {settings.LocalEpochs} local epoch(s), batch {settings.BatchSize}, {(settings.Model == "softmax" ? "SGD" : "Adam")} lr {settings.LearningRate}, train subset {settings.TrainSubset?.ToString(CultureInfo.InvariantCulture) ?? "all"}, seed {settings.Seed}; {cases.Count} runs."));
        Console.WriteLine();
        Console.WriteLine("| Partition | Byzantine | Attack | Defence | Final accuracy | Failed rounds | Flagged (Byzantine/all) | Median norm | Seconds |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|---:|---:|");
        foreach (MatrixCase item in cases)
        {
            MatrixResult r = await run.RunAsync(item, CancellationToken.None).ConfigureAwait(false);
            string flagged = item.Screening ? string.Create(CultureInfo.InvariantCulture, $"{r.FlaggedByzantine}/{r.Flagged}") : "-";
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"| {item.Partition} | {item.Byzantine.Fraction:P0} | {item.Byzantine.Attack.Name} | {item.Defence} | {r.Accuracy:P2} | {r.FailedRounds} | {flagged} | {r.MedianNorm:G3} | {r.Seconds:F0} |"));
            if (settings.Results is { } path)
            {
                bool header = !File.Exists(path);
                await using var writer = new StreamWriter(path, append: true);
                if (header)
                {
                    await writer.WriteLineAsync("model,rounds,train_subset,partition,fraction,attack,aggregator,pre_aggregator,screening,accuracy,failed_rounds,flagged,flagged_byzantine,byzantine_rounds,median_norm,seconds").ConfigureAwait(false);
                }

                await writer.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{settings.Model},{settings.Rounds},{settings.TrainSubset},{item.Partition},{item.Byzantine.Fraction},{item.Byzantine.Attack.Name},{item.Aggregator},{item.PreAggregator ?? "none"},{(item.Screening ? "exclude" : "off")},{r.Accuracy:R},{r.FailedRounds},{r.Flagged},{r.FlaggedByzantine},{r.ByzantineRounds},{r.MedianNorm:G4},{r.Seconds:F1}")).ConfigureAwait(false);
            }
        }

        return 0;
    }

    // Every combination; {f} becomes the run's Byzantine count. A clean run (fraction 0) is run with the first
    // aggregator only and no pre-aggregator; rules whose bound the run breaks (Bulyan needs n ≥ 4f + 3, Krum n > 2f + 2)
    // are skipped.
    private static List<MatrixCase> Expand(MatrixSettings settings)
    {
        var cases = new List<MatrixCase>();
        ByzantineSpec[] byzantine = settings.Byzantine.Select(RobustSpecs.ParseByzantine).ToArray();
        foreach (string partition in settings.Partitions)
        {
            foreach (ByzantineSpec spec in byzantine)
            {
                int f = (int)Math.Floor((spec.Fraction * settings.Clients) + 1e-9);
                if (f == 0)
                {
                    cases.Add(new MatrixCase(partition, spec, settings.Aggregators[0].Replace("{f}", "0", StringComparison.Ordinal), null, false));
                    continue;
                }

                foreach (string screening in settings.Screening)
                {
                    foreach (string pre in settings.PreAggregators)
                    {
                        foreach (string aggregator in settings.Aggregators)
                        {
                            string rule = aggregator.Replace("{f}", f.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                            if ((rule.StartsWith("bulyan", StringComparison.Ordinal) && settings.Clients < (4 * f) + 3)
                                || (rule.StartsWith("krum", StringComparison.Ordinal) && settings.Clients <= (2 * f) + 2))
                            {
                                continue;
                            }

                            string? preRule = pre == "none" ? null : pre.Replace("{f}", f.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                            _ = RobustSpecs.ParseAggregator(rule);
                            cases.Add(new MatrixCase(partition, spec, rule, preRule, screening == "exclude"));
                        }
                    }
                }
            }
        }

        return cases;
    }
}
