using System.Text.Json;
using NUnit.Framework;

namespace FedLearn.Samples.Tests.Simulation;

/// <summary>
/// The sample as a user runs it: a small federation of the TorchSharp MLP on real Fashion-MNIST (the CI-sized version
/// of the main job), the files it leaves, and its one-line errors for bad options.
/// </summary>
[TestFixture]
public sealed class SimulationSampleTests
{
    private string _output = string.Empty;

    [SetUp]
    public void CreateOutput() => _output = Path.Combine(Path.GetTempPath(), "fedlearn-sample-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutput()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Test]
    public void Small_mlp_federation_learns_and_leaves_results_a_script_can_read()
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "5", "--rounds", "3", "--train-subset", "6000", "--model", "mlp", "--optimizer", "sgd", "--lr", "0.05", "--local-epochs", "2", "--seed", "7", "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        JsonElement root = summary.RootElement;
        JsonElement config = root.GetProperty("config");
        Assert.That(config.GetProperty("clients").GetInt32(), Is.EqualTo(5));
        Assert.That(config.GetProperty("model").GetString(), Is.EqualTo("mlp"));
        Assert.That(config.GetProperty("train_subset").GetInt32(), Is.EqualTo(6000));
        foreach (string option in new[] { "rounds", "fraction", "local_epochs", "batch_size", "lr", "lr_schedule", "partition", "seed", "data_dir", "output", "server_optimizer", "compression" })
        {
            Assert.That(config.TryGetProperty(option, out _), Is.True, $"config lacks {option}");
        }

        JsonElement[] rounds = root.GetProperty("rounds").EnumerateArray().ToArray();
        Assert.That(rounds, Has.Length.EqualTo(3));
        foreach (JsonElement round in rounds)
        {
            Assert.That(round.GetProperty("clients_sampled").GetInt32(), Is.EqualTo(5));
            Assert.That(round.GetProperty("clients_responded").GetInt32(), Is.EqualTo(5));
            Assert.That(round.GetProperty("bytes_up").GetInt64(), Is.EqualTo(round.GetProperty("dense_bytes_up").GetInt64()), "dense uplink");
            Assert.That(round.GetProperty("bytes_down").GetInt64(), Is.EqualTo(5L * 203_530 * 4));
            Assert.That(round.GetProperty("seconds").GetDouble(), Is.GreaterThan(0));
        }

        double accuracy = root.GetProperty("final_accuracy").GetDouble();
        TestContext.Out.WriteLine($"final accuracy {accuracy:P2}");
        Assert.That(accuracy, Is.GreaterThanOrEqualTo(0.70), "a broken pipeline shows here");
        Assert.That(root.GetProperty("total_bytes_up").GetInt64(), Is.EqualTo(rounds.Sum(r => r.GetProperty("bytes_up").GetInt64())));
        Assert.That(root.GetProperty("wall_seconds").GetDouble(), Is.GreaterThan(0));

        string[] csv = File.ReadAllLines(Path.Combine(_output, "rounds.csv"));
        Assert.That(csv, Has.Length.EqualTo(4));
        Assert.That(csv[0], Does.StartWith("round,succeeded,accuracy,loss"));
        byte[] png = File.ReadAllBytes(Path.Combine(_output, "accuracy.png"));
        Assert.That(png.Take(4), Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }));
        ModelWeights model = SafeTensors.ReadFile(Path.Combine(_output, "model.safetensors"));
        Assert.That(model.Length, Is.EqualTo(203_530));
        Assert.That(output, Does.Contain("round   3/3"), "progress is printed as plain lines when output is redirected");
    }

    [Test]
    public void Compressed_uplink_is_measured_from_the_real_payloads()
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "4", "--rounds", "2", "--train-subset", "4000", "--model", "softmax", "--compression", "ef,topk:0.1,q:8,entropy", "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        using JsonDocument summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        double ratio = summary.RootElement.GetProperty("compression_ratio").GetDouble();
        long up = summary.RootElement.GetProperty("total_bytes_up").GetInt64();
        long dense = summary.RootElement.GetProperty("total_dense_bytes_up").GetInt64();
        Assert.That(dense, Is.EqualTo(2L * 4 * 7850 * 4));
        Assert.That(ratio, Is.EqualTo((double)dense / up).Within(1e-9));
        Assert.That(ratio, Is.GreaterThan(10), "10% top-k with 8-bit values must shrink the uplink more than tenfold");
    }

    [TestCase("--model", "resnet", "--model must be one of")]
    [TestCase("--partition", "dirichlet:0", "--partition: Invalid partitioning 'dirichlet:0'")]
    [TestCase("--fraction", "1.5", "--fraction must be in (0, 1]")]
    [TestCase("--lr-schedule", "linear", "--lr-schedule must be constant or cosine, got 'linear'")]
    [TestCase("--data-dir", "/nonexistent/fashion", "--data-dir: Fashion-MNIST training data not found")]
    [TestCase("--compression", "q:8,topk:0.1", "--compression: Stage top-k must come before quantization")]
    [TestCase("--clients", "many", "--clients")]
    public void Bad_options_end_with_one_line_naming_the_option_and_exit_code_2(string option, string value, string expected)
    {
        (int exitCode, string output, string error) = SampleProcess.Run(TimeSpan.FromMinutes(2), option, value, "--rounds", "1", "--output", _output);

        Assert.That(exitCode, Is.EqualTo(2), output + error);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("error: ").And.Contain(expected));
        Assert.That(error, Does.Not.Contain("   at "), "no stack trace");
    }
}
