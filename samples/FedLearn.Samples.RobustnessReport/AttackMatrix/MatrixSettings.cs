using System.Globalization;

namespace FedLearn.Samples.RobustnessReport.AttackMatrix;

/// <summary>
/// Command-line settings of <c>attack-matrix</c>: the federation (model, clients, rounds, data) and the axes of the
/// matrix (partitions × Byzantine settings × aggregators × pre-aggregators × screening). In aggregator and
/// pre-aggregator specs, <c>{f}</c> stands for the run's number of Byzantine clients.
/// </summary>
internal sealed record MatrixSettings
{
    public string Model { get; init; } = "mlp";

    public int Clients { get; init; } = 20;

    public int Rounds { get; init; } = 10;

    public int? TrainSubset { get; init; }

    public int LocalEpochs { get; init; } = 1;

    public int BatchSize { get; init; } = 32;

    public double LearningRate { get; init; } = 0.001;

    public ulong Seed { get; init; } = 42;

    public int Parallelism { get; init; } = 1;

    public string? DataDirectory { get; init; }

    public string? Results { get; init; }

    public IReadOnlyList<string> Partitions { get; init; } = ["iid", "dirichlet:1"];

    public IReadOnlyList<string> Byzantine { get; init; } = ["0:signflip"];

    public IReadOnlyList<string> Aggregators { get; init; } = ["fedavg"];

    public IReadOnlyList<string> PreAggregators { get; init; } = ["none"];

    public IReadOnlyList<string> Screening { get; init; } = ["off"];

    public static MatrixSettings Parse(string[] args)
    {
        var settings = new MatrixSettings();
        var lists = new Dictionary<string, List<string>>(StringComparer.Ordinal)
        {
            ["--partition"] = [],
            ["--byzantine"] = [],
            ["--aggregator"] = [],
            ["--pre-aggregator"] = [],
            ["--screening"] = [],
        };
        for (int i = 0; i < args.Length; i++)
        {
            string option = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{option}' needs a value.");
            if (lists.TryGetValue(option, out List<string>? list))
            {
                list.Add(Next());
                continue;
            }

            settings = option switch
            {
                "--model" => settings with { Model = Next() },
                "--clients" => settings with { Clients = Int(option, Next()) },
                "--rounds" => settings with { Rounds = Int(option, Next()) },
                "--train-subset" => settings with { TrainSubset = Int(option, Next()) },
                "--local-epochs" => settings with { LocalEpochs = Int(option, Next()) },
                "--batch-size" => settings with { BatchSize = Int(option, Next()) },
                "--lr" => settings with { LearningRate = double.Parse(Next(), CultureInfo.InvariantCulture) },
                "--seed" => settings with { Seed = ulong.Parse(Next(), CultureInfo.InvariantCulture) },
                "--parallelism" => settings with { Parallelism = Int(option, Next()) },
                "--data" => settings with { DataDirectory = Next() },
                "--results" => settings with { Results = Next() },
                _ => throw new ArgumentException($"Unknown option '{option}'. Use --model, --clients, --rounds, --train-subset, --local-epochs, --batch-size, --lr, --seed, --parallelism, --data, --results and the repeatable --partition, --byzantine, --aggregator, --pre-aggregator, --screening."),
            };
        }

        return settings with
        {
            Partitions = lists["--partition"].Count > 0 ? lists["--partition"] : settings.Partitions,
            Byzantine = lists["--byzantine"].Count > 0 ? lists["--byzantine"] : settings.Byzantine,
            Aggregators = lists["--aggregator"].Count > 0 ? lists["--aggregator"] : settings.Aggregators,
            PreAggregators = lists["--pre-aggregator"].Count > 0 ? lists["--pre-aggregator"] : settings.PreAggregators,
            Screening = lists["--screening"].Count > 0 ? lists["--screening"] : settings.Screening,
        };
    }

    private static int Int(string option, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new ArgumentException($"{option} must be a positive integer, got '{text}'.");
}
