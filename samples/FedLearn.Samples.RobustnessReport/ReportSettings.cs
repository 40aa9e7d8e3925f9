using System.Globalization;
using FedLearn.Robust.Screening;

namespace FedLearn.Samples.RobustnessReport;

/// <summary>Command-line settings of the detection experiment.</summary>
internal sealed record ReportSettings
{
    public int Clients { get; init; } = 20;

    public int Rounds { get; init; } = 20;

    public double LearningRate { get; init; } = 0.05;

    public ulong Seed { get; init; } = 42;

    public IReadOnlyList<string> Partitions { get; init; } = ["iid", "dirichlet:1"];

    public IReadOnlyList<string> Byzantine { get; init; } = ["0.2:signflip", "0.2:gaussian", "0.2:scaling", "0.3:signflip", "0.3:gaussian", "0.3:scaling"];

    public string? DataDirectory { get; init; }

    public bool Reputation { get; init; }

    /// <summary>The reputation's <see cref="ClientReputationOptions.MaxFlags"/>.</summary>
    public int ReputationMaxFlags { get; init; } = UpdateScreenerDefaults.MaxFlags;

    public NormModel NormModel { get; init; } = UpdateScreenerDefaults.NormModel;

    public bool Trace { get; init; }

    public static ReportSettings Parse(string[] args)
    {
        var settings = new ReportSettings();
        var partitions = new List<string>();
        var byzantine = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"Option '{args[i]}' needs a value.");
            switch (args[i])
            {
                case "--clients": settings = settings with { Clients = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--rounds": settings = settings with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--lr": settings = settings with { LearningRate = double.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--seed": settings = settings with { Seed = ulong.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--partition": partitions.Add(Next()); break;
                case "--byzantine": byzantine.Add(Next()); break;
                case "--data": settings = settings with { DataDirectory = Next() }; break;
                case "--reputation": settings = settings with { Reputation = true }; break;
                case "--reputation-max-flags": settings = settings with { ReputationMaxFlags = int.Parse(Next(), CultureInfo.InvariantCulture) }; break;
                case "--norm-model": settings = settings with { NormModel = ParseNormModel(Next()) }; break;
                case "--trace": settings = settings with { Trace = true }; break;
                default: throw new ArgumentException($"Unknown option '{args[i]}'. Use --clients, --rounds, --lr, --seed, --partition (repeatable), --byzantine (repeatable), --data, --reputation, --reputation-max-flags, --norm-model pooled|example-count, --trace.");
            }
        }

        if (settings.ReputationMaxFlags < 1)
        {
            throw new ArgumentException($"--reputation-max-flags must be at least 1, got {settings.ReputationMaxFlags}.");
        }

        if (!settings.Reputation && settings.ReputationMaxFlags != UpdateScreenerDefaults.MaxFlags)
        {
            throw new ArgumentException("--reputation-max-flags has no effect without --reputation.");
        }

        return settings with
        {
            Partitions = partitions.Count > 0 ? partitions : settings.Partitions,
            Byzantine = byzantine.Count > 0 ? byzantine : settings.Byzantine,
        };
    }

    private static NormModel ParseNormModel(string value) => value switch
    {
        "pooled" => NormModel.Pooled,
        "example-count" => NormModel.ExampleCount,
        _ => throw new ArgumentException($"--norm-model must be pooled or example-count, not '{value}'."),
    };
}
