namespace FedLearn.Privacy.Auditing;

/// <summary>
/// The shadow-model attack: shadow models, trained like the target on data of the same distribution that the target
/// never saw, show what member and non-member prediction vectors look like; a logistic regression learns to tell
/// them apart from <see cref="MembershipFeatures"/> and is then applied to the target's predictions. Immutable once
/// trained; thread-safe.
/// </summary>
/// <remarks>
/// Shokri, Stronati, Song and Shmatikov 2017, "Membership Inference Attacks Against Machine Learning Models". One
/// attack model serves every class (the features include the loss on the true label, which carries the class).
/// The score is the attack model's log-odds of membership; the operating threshold 0 is probability one half.
/// </remarks>
public sealed class ShadowModelAttack
{
    private readonly LogisticRegression _model;

    private ShadowModelAttack(LogisticRegression model, int classCount, int trainingExamples)
    {
        _model = model;
        ClassCount = classCount;
        TrainingExamples = trainingExamples;
    }

    /// <summary>The operating threshold on <see cref="Scores"/>: log-odds 0, probability one half.</summary>
    public const double OperatingThreshold = 0;

    /// <summary>Classes of the prediction vectors the attack reads.</summary>
    public int ClassCount { get; }

    /// <summary>Shadow examples (members and non-members) the attack model was fitted on.</summary>
    public int TrainingExamples { get; }

    /// <summary>The attack model's weights, one per feature of <see cref="MembershipFeatures.Write"/>, on the features' own scale.</summary>
    public ReadOnlySpan<double> Weights => _model.Weights;

    /// <summary>The attack model's bias.</summary>
    public double Bias => _model.Bias;

    /// <summary>Fits the attack model on the shadows' predictions.</summary>
    /// <param name="shadows">For each shadow model, its predictions on its own training examples (members) and on held-out examples (non-members).</param>
    /// <param name="l2">The L2 penalty λ &gt; 0 of the logistic regression, on standardised features.</param>
    /// <returns>The trained attack.</returns>
    /// <exception cref="ArgumentException">There is no shadow, a set is empty, or the class counts differ.</exception>
    public static ShadowModelAttack Train(IReadOnlyList<(PredictionSet Members, PredictionSet NonMembers)> shadows, double l2)
    {
        ArgumentNullException.ThrowIfNull(shadows);
        if (shadows.Count == 0)
        {
            throw new ArgumentException("The attack needs at least one shadow model.", nameof(shadows));
        }

        int classCount = shadows[0].Members.ClassCount;
        var features = new List<double>();
        var labels = new List<bool>();
        for (int s = 0; s < shadows.Count; s++)
        {
            (PredictionSet members, PredictionSet nonMembers) = shadows[s];
            ArgumentNullException.ThrowIfNull(members);
            ArgumentNullException.ThrowIfNull(nonMembers);
            if (members.Count == 0 || nonMembers.Count == 0)
            {
                throw new ArgumentException($"Shadow {s} has {members.Count} members and {nonMembers.Count} non-members; both must be non-empty.", nameof(shadows));
            }

            if (members.ClassCount != classCount || nonMembers.ClassCount != classCount)
            {
                throw new ArgumentException($"Shadow {s} predicts {members.ClassCount}/{nonMembers.ClassCount} classes but shadow 0 predicts {classCount}.", nameof(shadows));
            }

            features.AddRange(MembershipFeatures.Matrix(members));
            labels.AddRange(Enumerable.Repeat(true, members.Count));
            features.AddRange(MembershipFeatures.Matrix(nonMembers));
            labels.AddRange(Enumerable.Repeat(false, nonMembers.Count));
        }

        var model = LogisticRegression.Fit(features.ToArray(), labels.ToArray(), MembershipFeatures.Count(classCount), l2);
        return new ShadowModelAttack(model, classCount, labels.Count);
    }

    /// <summary>The attack's scores (log-odds of membership) for every example of <paramref name="predictions"/>.</summary>
    /// <param name="predictions">The target's prediction vectors and true labels.</param>
    /// <returns>One score per example; ≥ <see cref="OperatingThreshold"/> means "member".</returns>
    /// <exception cref="ArgumentException">The class count differs from the shadows'.</exception>
    public double[] Scores(PredictionSet predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        if (predictions.ClassCount != ClassCount)
        {
            throw new ArgumentException($"The attack was trained on {ClassCount} classes but the predictions have {predictions.ClassCount}.", nameof(predictions));
        }

        int width = MembershipFeatures.Count(ClassCount);
        Span<double> row = stackalloc double[width];
        var scores = new double[predictions.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            MembershipFeatures.Write(predictions[i], predictions.Labels[i], row);
            scores[i] = _model.Decision(row);
        }

        return scores;
    }
}
