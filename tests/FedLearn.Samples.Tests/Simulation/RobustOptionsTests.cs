using System.Text.Json;
using NUnit.Framework;

namespace FedLearn.Samples.Tests.Simulation;

/// <summary>
/// The sample's robustness options: Byzantine clients attacking a small MLP federation, screening that flags them, the
/// per-round flagged and Byzantine ids in summary.json, and one-line errors for bad values.
/// </summary>
[TestFixture]
public sealed class RobustOptionsTests
{
    private string _output = string.Empty;

    [SetUp]
    public void CreateOutput() => _output = Path.Combine(Path.GetTempPath(), "fedlearn-robust-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutput()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Test]
    public void Sign_flipping_clients_are_listed_per_round_and_flagged_by_screening()
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "5", "--rounds", "3", "--train-subset", "6000", "--model", "mlp", "--optimizer", "sgd", "--lr", "0.05", "--seed", "7",
            "--aggregator", "trimmed-mean:1", "--byzantine", "0.2:signflip", "--screening", "exclude", "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        Assert.That(output, Does.Contain("robustness: aggregation trimmed-mean:1, screening exclude, 1 Byzantine clients (signflip)"));
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        JsonElement root = summary.RootElement;
        Assert.That(root.GetProperty("config").GetProperty("aggregator").GetString(), Is.EqualTo("trimmed-mean:1"));
        Assert.That(root.GetProperty("config").GetProperty("byzantine").GetString(), Is.EqualTo("0.2:signflip"));

        JsonElement[] rounds = root.GetProperty("rounds").EnumerateArray().ToArray();
        Assert.That(rounds, Has.Length.EqualTo(3));
        string[] first = Ids(rounds[0], "byzantine");
        Assert.That(first, Has.Length.EqualTo(1), "⌊0.2 · 5⌋ = 1 Byzantine client");
        foreach (JsonElement round in rounds)
        {
            Assert.That(Ids(round, "byzantine"), Is.EqualTo(first), "the same client attacks every round");
            Assert.That(Ids(round, "flagged"), Does.Contain(first[0]), "a sign-flipped update points against the other four");
            Assert.That(round.GetProperty("clients_sampled").GetInt32(), Is.EqualTo(5));
            Assert.That(round.GetProperty("clients_responded").GetInt32(), Is.LessThanOrEqualTo(4), "clients_responded counts the aggregated updates: the excluded attacker is not among them");
            Assert.That(round.GetProperty("succeeded").GetBoolean(), Is.True);
        }

        Assert.That(root.GetProperty("final_accuracy").GetDouble(), Is.GreaterThanOrEqualTo(0.70), "the four honest clients still train the model");
    }

    [Test]
    public void Without_robustness_options_the_rounds_list_nobody()
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "3", "--rounds", "1", "--train-subset", "1500", "--model", "softmax", "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        Assert.That(output, Does.Not.Contain("robustness:"));
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        JsonElement round = summary.RootElement.GetProperty("rounds")[0];
        Assert.That(Ids(round, "flagged"), Is.Empty);
        Assert.That(Ids(round, "byzantine"), Is.Empty);
    }

    [TestCase(new[] { "--aggregator", "krum" }, "--aggregator: Unknown aggregator 'krum'")]
    [TestCase(new[] { "--aggregator", "bulyan:2", "--clients", "8" }, "--aggregator: with 8 clients per round")]
    [TestCase(new[] { "--aggregator", "multikrum:x" }, "--aggregator: Invalid 'multikrum:x': f must be an integer")]
    [TestCase(new[] { "--pre-aggregator", "nnm:x" }, "--pre-aggregator: Invalid 'nnm:x'")]
    [TestCase(new[] { "--pre-aggregator", "shuffle:2" }, "--pre-aggregator: Unknown pre-aggregator 'shuffle:2'")]
    [TestCase(new[] { "--byzantine", "1.5:alie" }, "--byzantine: Invalid Byzantine setting '1.5:alie': the fraction 1.5 must be in [0, 1)")]
    [TestCase(new[] { "--byzantine", "0.2:teleport" }, "--byzantine: Unknown Byzantine setting '0.2:teleport'")]
    [TestCase(new[] { "--screening", "maybe" }, "--screening must be one of off, flag, exclude")]
    [TestCase(new[] { "--reputation" }, "--reputation needs --screening")]
    public void Bad_robustness_options_end_with_one_line_naming_the_option(string[] arguments, string expected)
    {
        (int exitCode, string output, string error) = SampleProcess.Run(TimeSpan.FromMinutes(2), [.. arguments, "--rounds", "1", "--output", _output]);

        Assert.That(exitCode, Is.EqualTo(2), output + error);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(expected));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.Exists(_output), Is.False, "nothing runs");
    }

    private static string[] Ids(JsonElement round, string property) =>
        round.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();
}
