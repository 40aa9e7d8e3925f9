using System.Globalization;

namespace FedLearn.Samples.DpSgd;

/// <summary>The command line of the DP-SGD sample.</summary>
internal sealed record DpSgdSettings
{
    public IReadOnlyList<double> Epsilons { get; init; } = [1, 3, 5, 10, double.PositiveInfinity];

    public int Epochs { get; init; } = 10;

    public int Batch { get; init; } = 1024;

    public double Lr { get; init; } = 4;

    public double Clip { get; init; } = 0.1;

    public double Delta { get; init; } = 1e-5;

    public string Model { get; init; } = "dpcnn";

    public string Optimizer { get; init; } = "sgd";

    public int Physical { get; init; } = 512;

    public int Threads { get; init; } = 2;

    public int? TrainSubset { get; init; }

    public ulong Seed { get; init; } = 1;

    public string? DataDir { get; init; }

    public string Output { get; init; } = Path.Combine("runs", "dpsgd");

    /// <summary>Reads <c>--name value</c> pairs; throws <see cref="FormatException"/> naming a bad or unknown option.</summary>
    public static DpSgdSettings Parse(string[] args)
    {
        var settings = new DpSgdSettings();
        for (int i = 0; i < args.Length; i += 2)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new FormatException($"{name} needs a value.");
            }

            string value = args[i + 1];
            settings = name switch
            {
                "--epsilons" => settings with { Epsilons = [.. value.Split(',').Select(v => v.Trim() is "inf" or "∞" ? double.PositiveInfinity : Number(name, v))] },
                "--epochs" => settings with { Epochs = Count(name, value) },
                "--batch" => settings with { Batch = Count(name, value) },
                "--lr" => settings with { Lr = Number(name, value) },
                "--clip" => settings with { Clip = Number(name, value) },
                "--delta" => settings with { Delta = Number(name, value) },
                "--model" => settings with { Model = value is "dpcnn" or "mlp" or "cnn" ? value : throw new FormatException($"--model must be dpcnn, mlp or cnn, got '{value}'.") },
                "--optimizer" => settings with { Optimizer = value is "sgd" or "adam" ? value : throw new FormatException($"--optimizer must be sgd or adam, got '{value}'.") },
                "--physical" => settings with { Physical = Count(name, value) },
                "--threads" => settings with { Threads = Count(name, value) },
                "--train-subset" => settings with { TrainSubset = Count(name, value) },
                "--seed" => settings with { Seed = ulong.Parse(value, CultureInfo.InvariantCulture) },
                "--data-dir" => settings with { DataDir = value },
                "--output" => settings with { Output = value },
                _ => throw new FormatException($"unknown option '{name}'."),
            };
        }

        return settings;
    }

    private static double Number(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 0 && double.IsFinite(number)
            ? number
            : throw new FormatException($"{name}: '{value}' is not a positive number.");

    private static int Count(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int number) && number > 0
            ? number
            : throw new FormatException($"{name}: '{value}' is not a positive whole number.");
}
