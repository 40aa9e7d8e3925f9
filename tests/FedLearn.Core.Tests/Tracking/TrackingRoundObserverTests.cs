using FedLearn.Server;
using FedLearn.Tracking;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Tracking;

[TestFixture]
public sealed class TrackingRoundObserverTests
{
    [Test]
    public async Task Each_completed_round_becomes_metrics_with_the_round_as_step()
    {
        string root = Path.Combine(Path.GetTempPath(), "fedlearn-observer-" + Guid.NewGuid().ToString("N"));
        try
        {
            IExperimentRun run = await new MlflowFileStore(root).StartRunAsync("a");
            var observer = new TrackingRoundObserver(run);
            foreach (int round in new[] { 1, 2 })
            {
                observer.OnRoundCompleted(new RoundResult
                {
                    Round = round,
                    Succeeded = true,
                    Sampled = ["c0", "c1", "c2"],
                    Aggregated = ["c0", "c1"],
                    Failures = [new ClientFailure("c2", ClientFailureKind.Timeout, "late")],
                    CentralEvaluation = new EvaluationMetrics(0.9 / round, 0.5 + (0.1 * round), 100),
                    BytesUp = 1000,
                    DenseBytesUp = 8000,
                });
            }

            await observer.CompleteAsync();

            string metrics = Path.Combine(root, run.ExperimentId, run.RunId, "metrics");
            Assert.That(ValuesBySteps(Path.Combine(metrics, "central_accuracy")), Is.EqualTo(new[] { (1L, 0.6), (2L, 0.7) }));
            Assert.That(ValuesBySteps(Path.Combine(metrics, "compression_ratio")), Is.EqualTo(new[] { (1L, 8.0), (2L, 8.0) }));
            Assert.That(ValuesBySteps(Path.Combine(metrics, "clients_failed")), Is.EqualTo(new[] { (1L, 1.0), (2L, 1.0) }));
            Assert.That(File.Exists(Path.Combine(metrics, "train_loss")), Is.False, "no client trained, so no training metric");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static (long Step, double Value)[] ValuesBySteps(string path) =>
        File.ReadAllLines(path).Select(l => l.Split(' ')).Select(p => (long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture), Math.Round(double.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), 12))).ToArray();
}
