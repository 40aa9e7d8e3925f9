using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using FedLearn.Telemetry;
using FedLearn.Training;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Auditing;

public sealed class MembershipAuditorTests
{
    private static readonly Lazy<LabeledDataset> Train = new(() => FashionMnist.Load(null, FashionMnistSplit.Train));

    [Test]
    public async Task Audits_an_overfit_softmax_regression_on_real_fashion_mnist()
    {
        MembershipAuditData data = Split(members: 100, pool: 2 * 200, evaluation: 500);
        var auditor = new MembershipAuditor(Training(epochs: 60), new SoftmaxPredictionSource(), new MembershipAuditOptions { ShadowCount = 2, Seed = 5 });
        var published = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == FedLearnTelemetry.Name && instrument.Name.StartsWith("fedlearn.audit.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                published[$"{instrument.Name}|{tag.Value}"] = value;
            }
        });
        listener.Start();

        MembershipAuditReport report = await auditor.RunAsync(data, progress: null, CancellationToken.None);
        listener.Dispose();

        Assert.Multiple(() =>
        {
            Assert.That((report.Members, report.NonMembers, report.ShadowCount), Is.EqualTo((100, 100, 2)));
            Assert.That(report.TargetTraining.ExampleCount, Is.EqualTo(100));
            Assert.That(report.TargetMemberAccuracy, Is.GreaterThan(report.TargetNonMemberAccuracy), "60 epochs on 100 images overfit");
            Assert.That(report.TargetEvaluationAccuracy, Is.InRange(0.3, 1.0));
            Assert.That(report.ShadowModel, Is.Not.Null);
            foreach (MembershipAttackMetrics attack in new[] { report.LossThreshold, report.ShadowModel! })
            {
                Assert.That(attack.Auc, Is.GreaterThan(0.5), attack.Attack);
                Assert.That(attack.Auc, Is.LessThanOrEqualTo(1.0), attack.Attack);
                Assert.That(attack.Accuracy, Is.InRange(0.0, 1.0), attack.Attack);
                Assert.That(attack.TprAt1PercentFpr, Is.InRange(0.0, 1.0), attack.Attack);
                Assert.That(double.IsFinite(attack.EmpiricalEpsilon.Epsilon) && attack.EmpiricalEpsilon.Epsilon >= 0, attack.Attack);
                Assert.That(attack.EmpiricalEpsilon.Evaluation.Members, Is.EqualTo(50), attack.Attack);
                Assert.That(published.GetValueOrDefault($"fedlearn.audit.attack.auc|{attack.Attack}"), Is.EqualTo(attack.Auc), "the AUC is published as a metric");
                Assert.That(published.GetValueOrDefault($"fedlearn.audit.epsilon.lower_bound|{attack.Attack}", -1), Is.EqualTo(attack.EmpiricalEpsilon.Epsilon), "the lower bound is published");
            }
        });
    }

    [Test]
    public async Task The_same_seed_gives_the_same_report()
    {
        MembershipAuditData data = Split(members: 40, pool: 2 * 80, evaluation: 0);
        var options = new MembershipAuditOptions { ShadowCount = 2, Seed = 9 };

        MembershipAuditReport first = await new MembershipAuditor(Training(epochs: 5), new SoftmaxPredictionSource(), options).RunAsync(data, null, CancellationToken.None);
        MembershipAuditReport second = await new MembershipAuditor(Training(epochs: 5), new SoftmaxPredictionSource(), options).RunAsync(data, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(second.LossThreshold.Auc, Is.EqualTo(first.LossThreshold.Auc));
            Assert.That(second.ShadowModel!.Auc, Is.EqualTo(first.ShadowModel!.Auc));
            Assert.That(second.ShadowModel.EmpiricalEpsilon, Is.EqualTo(first.ShadowModel.EmpiricalEpsilon));
            Assert.That(double.IsNaN(first.TargetEvaluationAccuracy));
        });
    }

    [Test]
    public async Task Without_shadows_only_the_loss_attack_runs_with_the_targets_own_training_loss()
    {
        MembershipAuditData data = Split(members: 30, pool: 0, evaluation: 0);
        var auditor = new MembershipAuditor(Training(epochs: 3), new SoftmaxPredictionSource(), new MembershipAuditOptions { ShadowCount = 0 });

        MembershipAuditReport report = await auditor.RunAsync(data, null, CancellationToken.None);

        Assert.Multiple(() =>
        {
            Assert.That(report.ShadowModel, Is.Null);
            Assert.That(double.IsNaN(report.ShadowMemberAccuracy));
            Assert.That(report.LossThreshold.Operating.Threshold, Is.Negative.And.GreaterThan(double.NegativeInfinity));
        });
    }

    [Test]
    public async Task The_canary_attack_finds_the_canaries_a_non_private_model_memorised()
    {
        // 100 natural members and about 100 included mislabelled canaries: 60 epochs fit the canaries' wrong labels,
        // which the held-out canaries, never seen, do not get.
        MembershipAuditData data = Split(members: 100, pool: 0, evaluation: 0) with { Canaries = Canaries(count: 200, seed: 4) };
        var auditor = new MembershipAuditor(Training(epochs: 60), new SoftmaxPredictionSource(), new MembershipAuditOptions { ShadowCount = 0, Seed = 5 });

        MembershipAuditReport report = await auditor.RunAsync(data, progress: null, CancellationToken.None);

        MembershipAttackMetrics canary = report.Canary!;
        Assert.Multiple(() =>
        {
            Assert.That(report.Canary, Is.Not.Null);
            Assert.That(report.TargetTraining.ExampleCount, Is.EqualTo(100 + data.Canaries!.IncludedCount), "the target trains on the members and the included canaries");
            Assert.That(report.Members, Is.EqualTo(100), "the natural attacks still attack the natural members");
            Assert.That((canary.Operating.Members, canary.Operating.NonMembers), Is.EqualTo((data.Canaries.IncludedCount, data.Canaries.ExcludedCount)));
            Assert.That(report.CanaryMemberAccuracy, Is.GreaterThan(0.8), "the target memorised most included canaries' labels");
            Assert.That(report.CanaryNonMemberAccuracy, Is.LessThan(0.3), "a wrong label is rarely predicted for an unseen image");
            Assert.That(canary.Auc, Is.GreaterThan(0.8));
            Assert.That(canary.Accuracy, Is.GreaterThan(0.7));
            Assert.That(canary.EmpiricalEpsilon.Epsilon, Is.GreaterThan(0.5), "a memorising model is far from private");
            Assert.That(
                (canary.EmpiricalEpsilon.Evaluation.Members, canary.EmpiricalEpsilon.Evaluation.NonMembers),
                Is.EqualTo((data.Canaries.IncludedCount - (data.Canaries.IncludedCount / 2), data.Canaries.ExcludedCount - (data.Canaries.ExcludedCount / 2))),
                "the bound is measured on the evaluation half of each side");
        });
    }

    [Test]
    public async Task The_canary_attack_is_at_chance_when_the_predictions_are_random()
    {
        // The predictions ignore the trained weights, so whether a canary was trained on cannot show in its score.
        MembershipAuditData data = Split(members: 50, pool: 0, evaluation: 0) with { Canaries = Canaries(count: 600, seed: 6) };
        var auditor = new MembershipAuditor(Training(epochs: 1), new RandomPredictionSource(seed: 12), new MembershipAuditOptions { ShadowCount = 0, Seed = 5 });

        MembershipAuditReport report = await auditor.RunAsync(data, progress: null, CancellationToken.None);

        // The AUC of 300 against 300 random scores has standard deviation 0.024; ±0.1 is over 4 of them.
        MembershipAttackMetrics canary = report.Canary!;
        Assert.Multiple(() =>
        {
            Assert.That(canary.Auc, Is.InRange(0.4, 0.6));
            Assert.That(canary.Accuracy, Is.InRange(0.4, 0.6));
            Assert.That(report.CanaryMemberAccuracy, Is.InRange(0.0, 0.25));
        });
    }

    [Test]
    public void Rejects_canaries_with_fewer_than_two_on_a_side()
    {
        MembershipAuditData data = Split(members: 20, pool: 0, evaluation: 0) with { Canaries = Canaries(count: 2, seed: 1) };
        var auditor = new MembershipAuditor(Training(epochs: 1), new SoftmaxPredictionSource(), new MembershipAuditOptions { ShadowCount = 0 });

        Assert.That(
            async () => await auditor.RunAsync(data, null, CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("needs at least 2 of each"));
    }

    [Test]
    public void Reports_a_shadow_pool_too_small_for_the_shadows()
    {
        MembershipAuditData data = Split(members: 20, pool: 50, evaluation: 0);
        var auditor = new MembershipAuditor(Training(epochs: 1), new SoftmaxPredictionSource(), new MembershipAuditOptions { ShadowCount = 2 });

        Assert.That(
            async () => await auditor.RunAsync(data, null, CancellationToken.None),
            Throws.ArgumentException.With.Message.Contains("ShadowPool holds 50 examples but 2 shadows of 20 members and 20 non-members need 80"));
    }

    [Test]
    public void Rejects_invalid_options_listing_every_error()
    {
        var options = new MembershipAuditOptions { ShadowCount = -1, Confidence = 1.0, AttackL2 = 0 };

        Assert.That(
            () => new MembershipAuditor(Training(epochs: 1), new SoftmaxPredictionSource(), options),
            Throws.InstanceOf<OptionsValidationException>()
                .With.Message.Contains("ShadowCount")
                .And.Message.Contains("Confidence")
                .And.Message.Contains("AttackL2"));
    }

    private static AuditedTraining Training(int epochs) => new()
    {
        CreateTrainer = train => new SoftmaxRegressionTrainer(train),
        CreateInitialWeights = seed => SoftmaxRegressionTrainer.CreateInitialWeights(FashionMnist.ImageSize * FashionMnist.ImageSize, FashionMnist.ClassCount, seed),
        FitConfig = new FitConfig { Round = 1, LocalEpochs = epochs, BatchSize = 10, LearningRate = 0.5 },
    };

    /// <summary>Canaries from the end of the training set, far from the records <see cref="Split"/> takes.</summary>
    private static CanarySet Canaries(int count, ulong seed) =>
        CanarySet.Mislabel(new DatasetView(Train.Value, [.. Enumerable.Range(Train.Value.Count - count, count)]), seed);

    private static MembershipAuditData Split(int members, int pool, int evaluation)
    {
        if (!File.Exists(FashionMnist.LocateFiles(null, FashionMnistSplit.Train).ImagesPath))
        {
            Assert.Ignore("Fashion-MNIST is not installed.");
        }

        LabeledDataset train = Train.Value;
        int[] order = [.. Enumerable.Range(0, (2 * members) + pool + evaluation)];
        return new MembershipAuditData
        {
            Members = new DatasetView(train, order[..members]),
            NonMembers = new DatasetView(train, order[members..(2 * members)]),
            ShadowPool = new DatasetView(train, order[(2 * members)..((2 * members) + pool)]),
            Evaluation = evaluation > 0 ? new DatasetView(train, order[((2 * members) + pool)..]) : null,
        };
    }
}
