using System.Globalization;
using FedLearn.Tracking;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Tracking;

[TestFixture]
public sealed class MlflowFileStoreTests
{
    private string _root = null!;

    [SetUp]
    public void SetUp() => _root = Path.Combine(Path.GetTempPath(), "fedlearn-mlruns-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Test]
    public async Task A_run_is_written_in_the_mlruns_layout()
    {
        var store = new MlflowFileStore(_root);
        DateTimeOffset before = DateTimeOffset.UtcNow;
        await using IExperimentRun run = await store.StartRunAsync("fashion-mnist", "softmax-iid");
        await run.LogParametersAsync([new("rounds", "20"), new("server/optimizer", "fedadam")]);
        await run.LogMetricsAsync([
            new MetricPoint("central_accuracy", 0.5, 1, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123)),
            new MetricPoint("central_accuracy", 0.625, 2, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_456)),
            new MetricPoint("train_loss", double.NaN, 2, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_456)),
        ]);
        await run.SetTagsAsync([new("fedlearn.partition", "iid")]);
        string model = Path.Combine(_root, "..", Guid.NewGuid().ToString("N") + ".safetensors");
        await File.WriteAllBytesAsync(model, [1, 2, 3, 4]);
        await run.LogArtifactAsync(model, "model");
        File.Delete(model);
        await run.EndAsync(RunStatus.Finished);

        Assert.That(File.Exists(Path.Combine(_root, "0", "meta.yaml")), Is.True, "the Default experiment exists");
        Assert.That(Directory.Exists(Path.Combine(_root, ".trash")), Is.True);
        string experiment = await File.ReadAllTextAsync(Path.Combine(_root, "1", "meta.yaml"));
        Assert.That(experiment, Does.Contain("name: 'fashion-mnist'\n"));
        Assert.That(experiment, Does.Contain("experiment_id: '1'\n"));
        Assert.That(experiment, Does.Contain("lifecycle_stage: 'active'\n"));
        Assert.That(run.ExperimentId, Is.EqualTo("1"));
        Assert.That(run.RunId, Does.Match("^[0-9a-f]{32}$"));

        string runDir = Path.Combine(_root, "1", run.RunId);
        string meta = await File.ReadAllTextAsync(Path.Combine(runDir, "meta.yaml"));
        Assert.That(meta, Does.Contain($"run_id: '{run.RunId}'\n"));
        Assert.That(meta, Does.Contain($"run_uuid: '{run.RunId}'\n"));
        Assert.That(meta, Does.Contain("experiment_id: '1'\n"));
        Assert.That(meta, Does.Contain("run_name: 'softmax-iid'\n"));
        Assert.That(meta, Does.Contain("status: 3\n"), "FINISHED is 3");
        Assert.That(meta, Does.Contain($"artifact_uri: '{new Uri(Path.Combine(runDir, "artifacts")).AbsoluteUri}'\n"));
        long start = long.Parse(Line(meta, "start_time"), CultureInfo.InvariantCulture);
        long end = long.Parse(Line(meta, "end_time"), CultureInfo.InvariantCulture);
        Assert.That(start, Is.GreaterThanOrEqualTo(before.ToUnixTimeMilliseconds()));
        Assert.That(end, Is.GreaterThanOrEqualTo(start));

        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "params", "rounds")), Is.EqualTo("20"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "params", "server", "optimizer")), Is.EqualTo("fedadam"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "metrics", "central_accuracy")), Is.EqualTo("1700000000123 0.5 1\n1700000001456 0.625 2\n"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "metrics", "train_loss")), Is.EqualTo("1700000001456 nan 2\n"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "tags", "mlflow.runName")), Is.EqualTo("softmax-iid"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "tags", "mlflow.source.type")), Is.EqualTo("LOCAL"));
        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "tags", "fedlearn.partition")), Is.EqualTo("iid"));
        Assert.That(await File.ReadAllBytesAsync(Path.Combine(runDir, "artifacts", "model", Path.GetFileName(model))), Is.EqualTo(new byte[] { 1, 2, 3, 4 }));
    }

    [Test]
    public async Task Experiments_are_found_by_name_also_by_a_store_opened_later()
    {
        var store = new MlflowFileStore(_root);
        IExperimentRun first = await store.StartRunAsync("a");
        IExperimentRun second = await store.StartRunAsync("b");
        IExperimentRun again = await new MlflowFileStore(_root).StartRunAsync("a");

        Assert.That(first.ExperimentId, Is.EqualTo("1"));
        Assert.That(second.ExperimentId, Is.EqualTo("2"));
        Assert.That(again.ExperimentId, Is.EqualTo("1"));
        Assert.That(again.RunId, Is.Not.EqualTo(first.RunId));
        Assert.That(store.GetOrCreateExperiment(MlflowFileStore.DefaultExperimentName), Is.EqualTo(MlflowFileStore.DefaultExperimentId));
    }

    [Test]
    public async Task A_run_disposed_without_an_end_is_marked_killed()
    {
        var store = new MlflowFileStore(_root);
        string runDir;
        await using (IExperimentRun run = await store.StartRunAsync("a"))
        {
            runDir = Path.Combine(_root, run.ExperimentId, run.RunId);
            Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "meta.yaml")), Does.Contain("status: 1\n").And.Contain("end_time: null\n"));
        }

        Assert.That(await File.ReadAllTextAsync(Path.Combine(runDir, "meta.yaml")), Does.Contain("status: 5\n"));
    }

    [Test]
    public async Task A_parameter_keeps_its_first_value()
    {
        IExperimentRun run = await new MlflowFileStore(_root).StartRunAsync("a");
        await run.LogParametersAsync([new("lr", "0.05")]);
        await run.LogParametersAsync([new("lr", "0.05")]);

        var exception = Assert.ThrowsAsync<ExperimentTrackingException>(() => run.LogParametersAsync([new("lr", "0.1")]));
        Assert.That(exception!.Message, Does.Contain("'lr'").And.Contain("0.05").And.Contain("0.1"));
    }

    [TestCase("../escape")]
    [TestCase("/absolute")]
    [TestCase("a//b")]
    [TestCase("semi;colon")]
    [TestCase("")]
    public async Task Keys_that_are_not_mlflow_keys_are_refused_before_anything_is_written(string key)
    {
        IExperimentRun run = await new MlflowFileStore(_root).StartRunAsync("a");
        string runDir = Path.Combine(_root, run.ExperimentId, run.RunId);

        var exception = Assert.ThrowsAsync<ArgumentException>(() => run.LogMetricsAsync([MetricPoint.Now("ok", 1, 1), MetricPoint.Now(key, 1, 1)]));
        Assert.That(exception!.Message, Does.Contain("metric key"));
        Assert.That(Directory.GetFiles(Path.Combine(runDir, "metrics"), "*", SearchOption.AllDirectories), Is.Empty);
        Assert.That(File.Exists(Path.Combine(_root, "escape")), Is.False);
    }

    [Test]
    public async Task Running_is_not_an_end_status()
    {
        IExperimentRun run = await new MlflowFileStore(_root).StartRunAsync("a");
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => run.EndAsync(RunStatus.Running));
    }

    [Test]
    public void Open_picks_the_file_store_for_a_folder_and_the_rest_client_for_a_url()
    {
        Assert.That(ExperimentTrackers.Open(_root), Is.TypeOf<MlflowFileStore>());
        Assert.That(((MlflowFileStore)ExperimentTrackers.Open(new Uri(_root).AbsoluteUri)).RootDirectory, Is.EqualTo(Path.GetFullPath(_root)));
        using var http = new HttpClient();
        Assert.That(ExperimentTrackers.Open("http://127.0.0.1:5000", http), Is.TypeOf<MlflowRestTracker>());
    }

    private static string Line(string yaml, string key) =>
        yaml.Split('\n').Single(l => l.StartsWith(key + ": ", StringComparison.Ordinal))[(key.Length + 2)..];
}
