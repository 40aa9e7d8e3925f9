using NUnit.Framework;

namespace FedLearn.Samples.Tests.Simulation;

/// <summary>--tracking records a simulation in the MLflow file-store layout: settings, per-round metrics, final numbers, the model.</summary>
[TestFixture]
public sealed class TrackingSetupTests
{
    private string _output = string.Empty;

    [SetUp]
    public void CreateOutput() => _output = Path.Combine(Path.GetTempPath(), "fedlearn-tracking-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteOutput()
    {
        if (Directory.Exists(_output))
        {
            Directory.Delete(_output, recursive: true);
        }
    }

    [Test]
    public void A_tracked_run_leaves_params_metrics_and_the_model_in_mlruns()
    {
        string mlruns = Path.Combine(_output, "mlruns");
        (int exitCode, string output, string error) = SampleProcess.Run(
            TimeSpan.FromMinutes(5),
            "--clients", "4", "--rounds", "2", "--train-subset", "2000", "--model", "softmax", "--seed", "3", "--output", Path.Combine(_output, "run"), "--compression", "topk:0.1,q:8", "--tracking", mlruns);

        Assert.That(exitCode, Is.Zero, error + output);
        string experiment = Directory.GetDirectories(mlruns).Single(d => File.Exists(Path.Combine(d, "meta.yaml")) && File.ReadAllText(Path.Combine(d, "meta.yaml")).Contains("name: 'fedlearn-simulation'", StringComparison.Ordinal));
        string run = Directory.GetDirectories(experiment).Single();
        Assert.That(output, Does.Contain(Path.GetFileName(run)), "the console names the run");
        Assert.That(File.ReadAllText(Path.Combine(run, "meta.yaml")), Does.Contain("status: 3\n"), "FINISHED");
        Assert.That(File.ReadAllText(Path.Combine(run, "params", "rounds")), Is.EqualTo("2"));
        Assert.That(File.ReadAllText(Path.Combine(run, "params", "model")), Is.EqualTo("softmax"));
        Assert.That(File.ReadAllText(Path.Combine(run, "params", "compression")), Is.EqualTo("topk:0.1,q:8"));

        string[] accuracy = File.ReadAllLines(Path.Combine(run, "metrics", "central_accuracy"));
        Assert.That(accuracy.Select(l => l.Split(' ')[2]), Is.EqualTo(new[] { "1", "2" }), "one value per round, the round as step");
        string[] ratio = File.ReadAllLines(Path.Combine(run, "metrics", "compression_ratio"));
        Assert.That(ratio, Has.Length.GreaterThanOrEqualTo(2));
        Assert.That(ratio.Select(l => double.Parse(l.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture)), Has.All.GreaterThan(1.0));
        Assert.That(File.Exists(Path.Combine(run, "metrics", "final_accuracy")), Is.True, "summary numbers are logged");
        Assert.That(File.Exists(Path.Combine(run, "artifacts", "model", "model.safetensors")), Is.True);
        Assert.That(File.Exists(Path.Combine(run, "artifacts", "summary.json")), Is.True);
    }
}
