using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using FedLearn.Torch.Privacy;
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

    [Test]
    public async Task Audits_a_dp_sgd_model_whose_bound_stays_below_the_accountants_epsilon()
    {
        // DP-SGD at ε = 1 (δ = 1e-5): the attack may find nothing, but its lower bound must not exceed what the
        // accountant certifies (a correct audit breaks this with probability below 5% per attack).
        LabeledDataset train = FashionMnistSamples.Train(512);
        DatasetView all = train.All();
        var data = new MembershipAuditData
        {
            Members = all.Select(Enumerable.Range(0, 64)),
            NonMembers = all.Select(Enumerable.Range(64, 64)),
            ShadowPool = all.Select(Enumerable.Range(128, 128)),
        };
        var trainers = new List<DpSgdTrainer>();
        var training = new AuditedTraining
        {
            CreateTrainer = view =>
            {
                var trainer = new DpSgdTrainer(new MlpModel(seed: 0), view, view.Select([]), new DpSgdOptions
                {
                    TargetEpsilon = 1,
                    Delta = 1e-5,
                    PlannedEpochs = 4,
                    ExpectedBatchSize = 16,
                    Optimizer = TorchOptimizerKind.Adam,
                    Device = TorchDevicePreference.Cpu,
                });
                trainers.Add(trainer);
                return trainer;
            },
            CreateInitialWeights = seed =>
            {
                using var model = new MlpModel(seed);
                return model.GetWeights();
            },
            FitConfig = new FitConfig { Round = 1, LocalEpochs = 4, BatchSize = 16, LearningRate = 0.005 },
        };
        using var predictions = TorchPredictionSource.Create("mlp");

        MembershipAuditReport report = await new MembershipAuditor(training, predictions, new MembershipAuditOptions { ShadowCount = 1 })
            .RunAsync(data, null, CancellationToken.None);

        double accountant = trainers[0].Spent(1e-5).Epsilon;
        Assert.Multiple(() =>
        {
            Assert.That(trainers, Has.Count.EqualTo(2), "the target and one shadow, each with its own DP-SGD trainer");
            Assert.That(accountant, Is.InRange(0.5, 1.0));
            Assert.That(report.LossThreshold.EmpiricalEpsilon.Epsilon, Is.LessThanOrEqualTo(accountant));
            Assert.That(report.ShadowModel!.EmpiricalEpsilon.Epsilon, Is.LessThanOrEqualTo(accountant));
        });
    }

    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value) => lines.Add(value);
    }
}
