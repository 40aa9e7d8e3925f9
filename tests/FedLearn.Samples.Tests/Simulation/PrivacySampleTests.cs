using System.Text.Json;
using NUnit.Framework;

namespace FedLearn.Samples.Tests.Simulation;

/// <summary>The simulation's <c>--dp</c> flag end to end: the ε it spends appears per round and in total in summary.json.</summary>
[TestFixture]
public sealed class PrivacySampleTests
{
    private string _output = string.Empty;

    [SetUp]
    public void CreateOutput() => _output = Path.Combine(Path.GetTempPath(), "fedlearn-dp-sample-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutput()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Test]
    public void Dp_sgd_in_every_client_reports_epsilon_per_round_within_the_target()
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "2", "--rounds", "2", "--train-subset", "2000", "--model", "mlp", "--optimizer", "sgd", "--lr", "0.5",
            "--batch-size", "100", "--seed", "3", "--dp", "sample:eps=5,delta=1e-5,clip=1", "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        Assert.That(output, Does.Contain("DP-SGD in every client, target ε = 5"));
        JsonElement root = Summary();
        double[] perRound = [.. root.GetProperty("rounds").EnumerateArray().Select(r => r.GetProperty("epsilon").GetDouble())];
        Assert.That(perRound, Has.Length.EqualTo(2));
        Assert.That(perRound, Is.Ordered, "ε only grows");
        Assert.That(perRound[0], Is.GreaterThan(0));
        double epsilon = root.GetProperty("epsilon").GetDouble();
        Assert.That(double.IsFinite(epsilon), Is.True);
        Assert.That(epsilon, Is.EqualTo(perRound[^1]));
        Assert.That(epsilon, Is.GreaterThan(0).And.LessThanOrEqualTo(5.0), "calibrated for rounds × local epochs, so the run ends within the target");
        Assert.That(root.GetProperty("delta").GetDouble(), Is.EqualTo(1e-5));
        Assert.That(root.GetProperty("rounds")[0].GetProperty("delta").GetDouble(), Is.EqualTo(1e-5));
        Assert.That(root.GetProperty("final_accuracy").GetDouble(), Is.GreaterThan(0.3), "private training still learns (chance is 10 %)");
    }

    [TestCase("client:noise=1,clip=1")]
    [TestCase("client-adaptive:noise=1,quantile=0.5")]
    public void Client_level_dp_reports_a_finite_positive_epsilon(string flag)
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "4", "--rounds", "2", "--train-subset", "2000", "--model", "mlp", "--optimizer", "sgd", "--lr", "0.05",
            "--seed", "3", "--dp", flag, "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        JsonElement root = Summary();
        double epsilon = root.GetProperty("epsilon").GetDouble();
        Assert.That(double.IsFinite(epsilon) && epsilon > 0, Is.True, $"ε = {epsilon}");
        Assert.That(root.GetProperty("delta").GetDouble(), Is.EqualTo(1e-5));
        Assert.That(root.GetProperty("rounds").EnumerateArray().Select(r => r.GetProperty("epsilon").GetDouble()), Is.Ordered.And.All.GreaterThan(0));
    }

    [Test]
    public void Without_dp_summary_has_no_epsilon()
    {
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "2", "--rounds", "1", "--train-subset", "1000", "--model", "softmax", "--output", _output);

        Assert.That(exitCode, Is.Zero, error + output);
        Assert.That(Summary().GetProperty("epsilon").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [TestCase("sample:eps=3", "missing 'delta', 'clip'")]
    [TestCase("laplace", "unknown mode 'laplace'")]
    public void A_bad_dp_flag_ends_with_one_line_and_exit_code_2(string flag, string expected)
    {
        (int exitCode, string output, string error) = SampleProcess.Run(TimeSpan.FromMinutes(2), "--dp", flag, "--rounds", "1", "--output", _output);

        Assert.That(exitCode, Is.EqualTo(2), output + error);
        string[] lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), error);
        Assert.That(lines[0], Does.StartWith("error: --dp").And.Contain(expected));
    }

    [Test]
    public void Dp_sgd_refuses_the_plain_csharp_model()
    {
        (int exitCode, _, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(2), "--dp", "sample:eps=3,delta=1e-5,clip=1", "--model", "softmax", "--rounds", "1", "--output", _output);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(error, Does.Contain("needs a TorchSharp model"));
    }

    [TestCase("client:noise=1,clip=1")]
    [TestCase("client-adaptive:noise=1,quantile=0.5")]
    public void Server_side_client_level_dp_is_refused_under_secure_aggregation(string flag)
    {
        // The server would clip and noise updates that the masks hide from it: the noise would silently be missing.
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(2), "--dp", flag, "--secure-aggregation", "secagg+:5,3", "--rounds", "1", "--output", _output);

        Assert.That(exitCode, Is.EqualTo(2), output + error);
        Assert.That(error, Does.StartWith("error: --dp").And.Contain("secure aggregation hides from it"));
    }

    private JsonElement Summary()
    {
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "summary.json")));
        return document.RootElement.Clone();
    }
}
