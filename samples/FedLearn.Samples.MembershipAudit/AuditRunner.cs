using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using FedLearn.Torch;

namespace FedLearn.Samples.MembershipAudit;

/// <summary>Loads Fashion-MNIST, splits it into members, non-members, canaries and the shadow pool, and audits every requested ε.</summary>
internal static class AuditRunner
{
    private const long DataSplitPurpose = 0x4441_5441; // "DATA"
    private const long CanaryPurpose = 0x4341_4E41; // "CANA"

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static async Task<int> RunAsync(AuditSettings settings, TextWriter output, CancellationToken cancellationToken)
    {
        TorchRuntime.SetThreadCount(settings.Threads);
        LabeledDataset train = FashionMnist.Load(settings.DataDir, FashionMnistSplit.Train);
        LabeledDataset test = FashionMnist.Load(settings.DataDir, FashionMnistSplit.Test);
        MembershipAuditData data = Split(train, test, settings);

        output.WriteLine($"# Membership audit: {settings.Model}, {settings.Members} members, {settings.NonMembers} non-members, {settings.Shadows} shadows, " +
            $"{settings.Epochs} epochs, batch {settings.BatchSize}, {settings.Optimizer} lr {settings.Lr.ToString(CultureInfo.InvariantCulture)}, DP clip {settings.DpClip.ToString(CultureInfo.InvariantCulture)}, " +
            $"δ {settings.Delta.ToString(CultureInfo.InvariantCulture)}, confidence {settings.Confidence.ToString(CultureInfo.InvariantCulture)}, seed {settings.Seed}");
        output.WriteLine($"# shadow pool {data.ShadowPool.Count} training images, evaluation on the {test.Count} test images");
        if (data.Canaries is { } canaries)
        {
            output.WriteLine($"# {canaries.Count} canaries (training images with a random wrong label): {canaries.IncludedCount} added to the target's {settings.Members} members, {canaries.ExcludedCount} held out");
        }

        if (settings.Output is not null)
        {
            Directory.CreateDirectory(settings.Output);
        }

        var rows = new List<string>();
        var canaryRows = new List<string>();
        foreach (double epsilon in settings.Epsilons)
        {
            AuditTraining training = AuditTraining.For(settings, epsilon);
            var stopwatch = Stopwatch.StartNew();
            double accountantEpsilon = double.NaN;
            var audited = new AuditedTraining
            {
                CreateTrainer = train =>
                {
                    ILocalTrainer trainer = training.CreateTrainer(train);
                    return new AccountedTrainer(trainer, t => accountantEpsilon = double.IsNaN(accountantEpsilon) ? training.AccountantEpsilon(t) : accountantEpsilon);
                },
                CreateInitialWeights = seed =>
                {
                    using var model = TorchModels.Create(settings.Model, seed);
                    return model.GetWeights();
                },
                FitConfig = new FitConfig { Round = 1, LocalEpochs = settings.Epochs, BatchSize = settings.BatchSize, LearningRate = settings.Lr },
            };
            using var predictions = TorchPredictionSource.Create(settings.Model);
            var auditor = new MembershipAuditor(audited, predictions, new MembershipAuditOptions
            {
                ShadowCount = settings.Shadows,
                Delta = settings.Delta,
                Confidence = settings.Confidence,
                Seed = Seeds.Derive(settings.Seed, BitConverter.DoubleToInt64Bits(epsilon)),
            });
            MembershipAuditReport report = await auditor.RunAsync(data, new ImmediateProgress(output, epsilon), cancellationToken).ConfigureAwait(false);
            stopwatch.Stop();
            string row = Row(epsilon, accountantEpsilon, report, stopwatch.Elapsed);
            rows.Add(row);
            if (report.Canary is not null)
            {
                canaryRows.Add(CanaryRow(epsilon, accountantEpsilon, report));
            }

            output.WriteLine($"  [ε {Format(epsilon)}] done in {stopwatch.Elapsed.TotalMinutes:F1} min ({training.Description})");
            if (settings.Output is not null)
            {
                string path = Path.Combine(settings.Output, $"audit-eps-{Format(epsilon)}.json");
                await File.WriteAllTextAsync(path, JsonSerializer.Serialize(new { settings, epsilon, accountantEpsilon, report }, Json), cancellationToken).ConfigureAwait(false);
            }
        }

        output.WriteLine();
        output.WriteLine("| target ε | accountant ε | test accuracy | train accuracy | AUC loss | AUC shadow | TPR@1%FPR loss | TPR@1%FPR shadow | TPR@0.1%FPR loss / shadow | attack accuracy loss / shadow | ε lower bound loss / shadow | wall time |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string row in rows)
        {
            output.WriteLine(row);
        }

        if (canaryRows.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Canary audit (loss on the canary label; members are the included canaries):");
            output.WriteLine();
            output.WriteLine("| target ε | accountant ε | canaries in / out | canary label predicted in / out | AUC canary | TPR@1%FPR | TPR@0.1%FPR | attack accuracy | ε lower bound canary |");
            output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
            foreach (string row in canaryRows)
            {
                output.WriteLine(row);
            }
        }

        output.WriteLine();
        output.WriteLine($"ε lower bounds hold with confidence {settings.Confidence.ToString(CultureInfo.InvariantCulture)} at δ = {settings.Delta.ToString(CultureInfo.InvariantCulture)} (Clopper–Pearson; threshold chosen on one half of the scores, bound measured on the other half).");
        return 0;
    }

    private static MembershipAuditData Split(LabeledDataset train, LabeledDataset test, AuditSettings settings)
    {
        long needed = settings.Members + settings.NonMembers + (long)settings.Canaries + ((long)settings.Shadows * (settings.Members + settings.NonMembers));
        if (needed > train.Count)
        {
            throw new UsageException($"{settings.Shadows} shadows with {settings.Members} members, {settings.NonMembers} non-members and {settings.Canaries} canaries need {needed} training images; Fashion-MNIST has {train.Count}.");
        }

        int[] order = new int[train.Count];
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new DeterministicRandom(Seeds.Derive(settings.Seed, DataSplitPurpose)).Shuffle(order.AsSpan());
        int canaryStart = settings.Members + settings.NonMembers;
        int poolStart = canaryStart + settings.Canaries;
        CanarySet? canaries = null;
        if (settings.Canaries > 0)
        {
            canaries = CanarySet.Mislabel(new DatasetView(train, order[canaryStart..poolStart]), Seeds.Derive(settings.Seed, CanaryPurpose));
            if (canaries.IncludedCount < 2 || canaries.ExcludedCount < 2)
            {
                throw new UsageException($"--canaries {settings.Canaries} with --seed {settings.Seed} included {canaries.IncludedCount} and held out {canaries.ExcludedCount}; the audit needs at least 2 of each: use more canaries.");
            }
        }

        return new MembershipAuditData
        {
            Members = new DatasetView(train, order[..settings.Members]),
            NonMembers = new DatasetView(train, order[settings.Members..canaryStart]),
            ShadowPool = new DatasetView(train, order[poolStart..]),
            Evaluation = test.All(),
            Canaries = canaries,
        };
    }

    private static string Row(double epsilon, double accountantEpsilon, MembershipAuditReport report, TimeSpan elapsed)
    {
        MembershipAttackMetrics loss = report.LossThreshold;
        MembershipAttackMetrics? shadow = report.ShadowModel;
        string Shadow(Func<MembershipAttackMetrics, string> value) => shadow is null ? "—" : value(shadow);
        string Bound(MembershipAttackMetrics m) => $"{m.EmpiricalEpsilon.Epsilon:F3}";
        return $"| {Format(epsilon)} | {Format(accountantEpsilon)} | {report.TargetEvaluationAccuracy:P2} | {report.TargetMemberAccuracy:P2} | " +
            $"{loss.Auc:F4} | {Shadow(m => m.Auc.ToString("F4", CultureInfo.InvariantCulture))} | " +
            $"{loss.TprAt1PercentFpr:P1} | {Shadow(m => m.TprAt1PercentFpr.ToString("P1", CultureInfo.InvariantCulture))} | " +
            $"{loss.TprAt01PercentFpr:P1} / {Shadow(m => m.TprAt01PercentFpr.ToString("P1", CultureInfo.InvariantCulture))} | " +
            $"{loss.Accuracy:P1} / {Shadow(m => m.Accuracy.ToString("P1", CultureInfo.InvariantCulture))} | " +
            $"{Bound(loss)} / {Shadow(Bound)} | {elapsed.TotalMinutes:F1} min |";
    }

    private static string CanaryRow(double epsilon, double accountantEpsilon, MembershipAuditReport report)
    {
        MembershipAttackMetrics canary = report.Canary!;
        return $"| {Format(epsilon)} | {Format(accountantEpsilon)} | {canary.Operating.Members} / {canary.Operating.NonMembers} | " +
            $"{report.CanaryMemberAccuracy:P1} / {report.CanaryNonMemberAccuracy:P1} | {canary.Auc:F4} | {canary.TprAt1PercentFpr:P1} | {canary.TprAt01PercentFpr:P1} | " +
            $"{canary.Accuracy:P1} | {canary.EmpiricalEpsilon.Epsilon:F3} |";
    }

    private static string Format(double epsilon) =>
        double.IsPositiveInfinity(epsilon) ? "inf" : double.IsNaN(epsilon) ? "—" : epsilon.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Writes progress lines as they come (Progress&lt;T&gt; would post them to the thread pool, out of order).</summary>
    private sealed class ImmediateProgress(TextWriter output, double epsilon) : IProgress<string>
    {
        public void Report(string value)
        {
            output.WriteLine($"  [ε {Format(epsilon)}] {value}");
            output.Flush();
        }
    }

    /// <summary>Passes a trainer through and reads its accountant's ε after the first fit (the target's).</summary>
    private sealed class AccountedTrainer(ILocalTrainer inner, Action<ILocalTrainer> afterFit) : ILocalTrainer, IDisposable
    {
        public async Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
        {
            LocalFitResult result = await inner.FitAsync(globalWeights, config, cancellationToken).ConfigureAwait(false);
            afterFit(inner);
            return result;
        }

        public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken) => inner.EvaluateAsync(weights, cancellationToken);

        public void Dispose() => (inner as IDisposable)?.Dispose();
    }
}
