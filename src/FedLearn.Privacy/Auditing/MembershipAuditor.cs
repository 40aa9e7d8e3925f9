using FedLearn.Data;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// Audits a training procedure by membership inference: trains the target model on the members, trains shadow
/// models the same way on disjoint data from the shadow pool, and runs the loss-threshold and shadow-model attacks on
/// the target's prediction vectors for its members and non-members; with canaries, also the canary attack.
/// </summary>
/// <remarks>
/// <para>
/// Works with any <see cref="ILocalTrainer"/> (<see cref="AuditedTraining.CreateTrainer"/>) and any model that
/// <see cref="IPredictionSource"/> can query. Shadow model s trains on pool examples
/// [s·(M + N), s·(M + N) + M) of a seeded shuffle of the pool and holds out the next N (M members, N non-members), so
/// the shadows share no example with each other or with the target's data.
/// </para>
/// <para>
/// Models are trained one after the other. The operating threshold of the loss attack is the shadows' mean training
/// loss (the target's own when there are no shadows); that of the shadow attack is probability one half. Neither
/// looks at the target's membership labels. The empirical ε lower bound chooses its own threshold honestly (see
/// <see cref="EmpiricalEpsilon.Estimate"/>).
/// </para>
/// <para>
/// With <see cref="MembershipAuditData.Canaries"/>, the target trains on the members plus the included canaries
/// (<see cref="CanarySet.WithIncludedCanaries"/>) and the canary attack scores every canary by the target's loss on
/// its canary label (<see cref="LossThresholdAttack.Scores"/>). Its operating threshold is the median canary score:
/// the adversary knows each canary was included with probability one half, so it calls the better-fitted half
/// members, again without looking at which ones were.
/// </para>
/// <para>Not thread-safe: run one audit at a time per instance.</para>
/// </remarks>
public sealed class MembershipAuditor
{
    private const long InitialWeightsPurpose = 0x494E_4954; // "INIT"
    private const long FitPurpose = 0x4649_5454; // "FITT"
    private const long ShadowSplitPurpose = 0x5348_4144; // "SHAD"
    private const long EpsilonSplitPurpose = 0x4550_534C; // "EPSL"

    private readonly AuditedTraining _training;
    private readonly IPredictionSource _predictions;
    private readonly MembershipAuditOptions _options;

    /// <summary>Creates an auditor.</summary>
    /// <param name="training">How the target and the shadows are trained.</param>
    /// <param name="predictions">How prediction vectors are obtained from trained weights.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule; the message lists every one.</exception>
    public MembershipAuditor(AuditedTraining training, IPredictionSource predictions, MembershipAuditOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(predictions);
        ArgumentNullException.ThrowIfNull(training.CreateTrainer);
        ArgumentNullException.ThrowIfNull(training.CreateInitialWeights);
        ArgumentNullException.ThrowIfNull(training.FitConfig);
        options ??= new MembershipAuditOptions();
        FedLearn.Options.OptionsValidation.ThrowIfInvalid(options, nameof(MembershipAuditOptions));
        _training = training;
        _predictions = predictions;
        _options = options;
    }

    /// <summary>Trains the target and the shadows, attacks the target and measures the attacks.</summary>
    /// <param name="data">Members, non-members, shadow pool and optional evaluation set.</param>
    /// <param name="progress">Receives one line per finished step (may be null).</param>
    /// <param name="cancellationToken">Cancels training and prediction.</param>
    /// <returns>The audit report.</returns>
    /// <exception cref="ArgumentException">A set is too small, the pool cannot hold the shadows' data, the sets come from datasets with different class counts, or the canaries have fewer than 2 included or 2 held out.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public async Task<MembershipAuditReport> RunAsync(MembershipAuditData data, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(data);
        CheckData(data);
        int members = data.Members.Count;
        int nonMembers = data.NonMembers.Count;
        ulong seed = _options.Seed;

        DatasetView targetTrainingSet = data.Canaries is { } canaries ? canaries.WithIncludedCanaries(data.Members) : data.Members;
        (ModelWeights targetWeights, TrainingMetrics targetTraining) = await TrainAsync(targetTrainingSet, 0, cancellationToken).ConfigureAwait(false);
        PredictionSet targetMembers = await _predictions.PredictAsync(targetWeights, data.Members, cancellationToken).ConfigureAwait(false);
        PredictionSet targetNonMembers = await _predictions.PredictAsync(targetWeights, data.NonMembers, cancellationToken).ConfigureAwait(false);
        double evaluationAccuracy = double.NaN;
        if (data.Evaluation is { Count: > 0 } evaluation)
        {
            evaluationAccuracy = (await _predictions.PredictAsync(targetWeights, evaluation, cancellationToken).ConfigureAwait(false)).Accuracy();
        }

        progress?.Report($"target: {members} members, training accuracy {targetMembers.Accuracy():F4}, non-member accuracy {targetNonMembers.Accuracy():F4}, evaluation accuracy {evaluationAccuracy:F4}");

        (MembershipAttackMetrics Metrics, double MemberAccuracy, double NonMemberAccuracy)? canary = null;
        if (data.Canaries is not null)
        {
            canary = await CanaryAttackAsync(targetWeights, data.Canaries, cancellationToken).ConfigureAwait(false);
            progress?.Report($"canaries: {data.Canaries.IncludedCount} included, {data.Canaries.ExcludedCount} held out; canary label predicted on {canary.Value.MemberAccuracy:F4} of the included and {canary.Value.NonMemberAccuracy:F4} of the held-out");
        }

        int[] pool = new int[data.ShadowPool.Count];
        for (int i = 0; i < pool.Length; i++)
        {
            pool[i] = i;
        }

        new DeterministicRandom(Seeds.Derive(seed, ShadowSplitPurpose)).Shuffle(pool.AsSpan());
        var shadows = new List<(PredictionSet Members, PredictionSet NonMembers)>(_options.ShadowCount);
        for (int s = 0; s < _options.ShadowCount; s++)
        {
            int start = s * (members + nonMembers);
            DatasetView shadowMembers = data.ShadowPool.Select(pool.Skip(start).Take(members));
            DatasetView shadowNonMembers = data.ShadowPool.Select(pool.Skip(start + members).Take(nonMembers));
            (ModelWeights weights, _) = await TrainAsync(shadowMembers, s + 1, cancellationToken).ConfigureAwait(false);
            PredictionSet inPredictions = await _predictions.PredictAsync(weights, shadowMembers, cancellationToken).ConfigureAwait(false);
            PredictionSet outPredictions = await _predictions.PredictAsync(weights, shadowNonMembers, cancellationToken).ConfigureAwait(false);
            shadows.Add((inPredictions, outPredictions));
            progress?.Report($"shadow {s + 1}/{_options.ShadowCount}: training accuracy {inPredictions.Accuracy():F4}, held-out accuracy {outPredictions.Accuracy():F4}");
        }

        double lossThreshold = shadows.Count > 0
            ? LossThresholdAttack.Threshold(shadows.Select(s => s.Members))
            : LossThresholdAttack.Threshold([targetMembers]);
        MembershipAttackMetrics loss = MembershipAttackMetrics.Compute(
            "loss-threshold",
            LossThresholdAttack.Scores(targetMembers),
            LossThresholdAttack.Scores(targetNonMembers),
            lossThreshold,
            _options.Delta,
            _options.Confidence,
            Seeds.Derive(seed, EpsilonSplitPurpose, 0));

        MembershipAttackMetrics? shadow = null;
        if (shadows.Count > 0)
        {
            var attack = ShadowModelAttack.Train(shadows, _options.AttackL2);
            shadow = MembershipAttackMetrics.Compute(
                "shadow-model",
                attack.Scores(targetMembers),
                attack.Scores(targetNonMembers),
                ShadowModelAttack.OperatingThreshold,
                _options.Delta,
                _options.Confidence,
                Seeds.Derive(seed, EpsilonSplitPurpose, 1));
        }

        AuditTelemetry.Record(loss);
        if (shadow is not null)
        {
            AuditTelemetry.Record(shadow);
        }

        if (canary is not null)
        {
            AuditTelemetry.Record(canary.Value.Metrics);
        }

        return new MembershipAuditReport(
            members,
            nonMembers,
            shadows.Count,
            targetTraining,
            targetMembers.Accuracy(),
            targetNonMembers.Accuracy(),
            evaluationAccuracy,
            shadows.Count > 0 ? shadows.Average(s => s.Members.Accuracy()) : double.NaN,
            shadows.Count > 0 ? shadows.Average(s => s.NonMembers.Accuracy()) : double.NaN,
            loss,
            shadow)
        {
            Canary = canary?.Metrics,
            CanaryMemberAccuracy = canary?.MemberAccuracy ?? double.NaN,
            CanaryNonMemberAccuracy = canary?.NonMemberAccuracy ?? double.NaN,
        };
    }

    private async Task<(MembershipAttackMetrics Metrics, double MemberAccuracy, double NonMemberAccuracy)> CanaryAttackAsync(
        ModelWeights targetWeights, CanarySet canaries, CancellationToken cancellationToken)
    {
        // The views carry the canary labels, so the loss attack's score is the loss on the canary label.
        PredictionSet included = await _predictions.PredictAsync(targetWeights, canaries.IncludedCanaries(), cancellationToken).ConfigureAwait(false);
        PredictionSet excluded = await _predictions.PredictAsync(targetWeights, canaries.ExcludedCanaries(), cancellationToken).ConfigureAwait(false);
        double[] memberScores = LossThresholdAttack.Scores(included);
        double[] nonMemberScores = LossThresholdAttack.Scores(excluded);
        MembershipAttackMetrics metrics = MembershipAttackMetrics.Compute(
            "canary-loss",
            memberScores,
            nonMemberScores,
            Median([.. memberScores, .. nonMemberScores]),
            _options.Delta,
            _options.Confidence,
            Seeds.Derive(_options.Seed, EpsilonSplitPurpose, 2));
        return (metrics, included.Accuracy(), excluded.Accuracy());
    }

    private static double Median(double[] scores)
    {
        Array.Sort(scores);
        int middle = scores.Length / 2;
        return scores.Length % 2 == 1 ? scores[middle] : (0.5 * scores[middle - 1]) + (0.5 * scores[middle]);
    }

    private async Task<(ModelWeights Weights, TrainingMetrics Metrics)> TrainAsync(DatasetView train, int model, CancellationToken cancellationToken)
    {
        ModelWeights initial = _training.CreateInitialWeights(Seeds.Derive(_options.Seed, InitialWeightsPurpose, model));
        ILocalTrainer trainer = _training.CreateTrainer(train);
        try
        {
            FitConfig config = _training.FitConfig with { Seed = Seeds.Derive(_options.Seed, FitPurpose, model) };
            LocalFitResult result = await trainer.FitAsync(initial, config, cancellationToken).ConfigureAwait(false);
            return (result.Weights, result.Metrics);
        }
        finally
        {
            (trainer as IDisposable)?.Dispose();
        }
    }

    private void CheckData(MembershipAuditData data)
    {
        ArgumentNullException.ThrowIfNull(data.Members);
        ArgumentNullException.ThrowIfNull(data.NonMembers);
        ArgumentNullException.ThrowIfNull(data.ShadowPool);
        var problems = new List<string>();
        if (data.Members.Count < 2)
        {
            problems.Add($"Members holds {data.Members.Count} examples but needs at least 2");
        }

        if (data.NonMembers.Count < 2)
        {
            problems.Add($"NonMembers holds {data.NonMembers.Count} examples but needs at least 2");
        }

        long needed = (long)_options.ShadowCount * (data.Members.Count + data.NonMembers.Count);
        if (data.ShadowPool.Count < needed)
        {
            problems.Add($"ShadowPool holds {data.ShadowPool.Count} examples but {_options.ShadowCount} shadows of {data.Members.Count} members and {data.NonMembers.Count} non-members need {needed}");
        }

        if (data.Canaries is { } canaries)
        {
            if (canaries.IncludedCount < 2 || canaries.ExcludedCount < 2)
            {
                problems.Add($"Canaries has {canaries.IncludedCount} included and {canaries.ExcludedCount} held-out canaries but needs at least 2 of each");
            }

            if (canaries.Records.ClassCount != data.Members.Dataset.ClassCount || canaries.Records.FeatureCount != data.Members.Dataset.FeatureCount)
            {
                problems.Add($"Canaries have {canaries.Records.FeatureCount} features and {canaries.Records.ClassCount} classes but Members has {data.Members.Dataset.FeatureCount} and {data.Members.Dataset.ClassCount}");
            }
        }

        int classes = data.Members.Dataset.ClassCount;
        foreach ((string name, DatasetView? view) in new[] { ("NonMembers", data.NonMembers), ("ShadowPool", data.ShadowPool), ("Evaluation", data.Evaluation) })
        {
            if (view is not null && view.Dataset.ClassCount != classes)
            {
                problems.Add($"{name} has {view.Dataset.ClassCount} classes but Members has {classes}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid audit data: {string.Join("; ", problems)}.", nameof(data));
        }
    }
}
