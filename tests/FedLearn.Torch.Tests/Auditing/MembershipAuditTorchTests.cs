using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using FedLearn.Torch.Tests.TestData;

namespace FedLearn.Torch.Tests.Auditing;

public sealed class MembershipAuditTorchTests
{
    [Test]
    public async Task Audits_a_torch_model_trained_on_a_tiny_real_fashion_mnist_subset()
    {
        // 64 members, 64 non-members, two shadows drawing 128 examples each from a pool of 256, 200 test images.
        LabeledDataset train = FashionMnistSamples.Train(512);
        DatasetView all = train.All();
        var data = new MembershipAuditData
        {
            Members = all.Select(Enumerable.Range(0, 64)),
            NonMembers = all.Select(Enumerable.Range(64, 64)),
            ShadowPool = all.Select(Enumerable.Range(128, 256)),
            Evaluation = FashionMnistSamples.Test(200).All(),
        };
        var training = new AuditedTraining
        {
            CreateTrainer = view => TorchTrainer.Create("mlp", view, view.Select([]), new TorchTrainerOptions { Optimizer = TorchOptimizerKind.Adam, Device = TorchDevicePreference.Cpu }),
            CreateInitialWeights = seed =>
            {
                using var model = new MlpModel(seed);
                return model.GetWeights();
            },
            FitConfig = new FitConfig { Round = 1, LocalEpochs = 10, BatchSize = 16, LearningRate = 0.001 },
        };
        using var predictions = TorchPredictionSource.Create("mlp");
        var lines = new List<string>();

        MembershipAuditReport report = await new MembershipAuditor(training, predictions, new MembershipAuditOptions { ShadowCount = 2 })
            .RunAsync(data, new SynchronousProgress(lines), CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(lines, Has.Count.EqualTo(3), "one line for the target, one per shadow");
            Assert.That(report.TargetTraining.ExampleCount, Is.EqualTo(64));
            Assert.That(report.TargetMemberAccuracy, Is.InRange(0.0, 1.0));
            Assert.That(report.TargetEvaluationAccuracy, Is.InRange(0.0, 1.0));
            Assert.That(report.ShadowMemberAccuracy, Is.InRange(0.0, 1.0));
            Assert.That(report.ShadowModel, Is.Not.Null);
            foreach (MembershipAttackMetrics attack in new[] { report.LossThreshold, report.ShadowModel! })
            {
                Assert.That(attack.Auc, Is.InRange(0.0, 1.0), attack.Attack);
                Assert.That(attack.Accuracy, Is.InRange(0.0, 1.0), attack.Attack);
                Assert.That(attack.TprAt1PercentFpr, Is.InRange(0.0, 1.0), attack.Attack);
                Assert.That(attack.TprAt01PercentFpr, Is.InRange(0.0, attack.TprAt1PercentFpr), attack.Attack);
                Assert.That(double.IsFinite(attack.EmpiricalEpsilon.Epsilon) && attack.EmpiricalEpsilon.Epsilon >= 0, attack.Attack);
            }
        });
    }

    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
