namespace FedLearn.Privacy.Auditing;

/// <summary>
/// The loss-threshold attack: an example is called a member when the model's loss on it is small. The score is the
/// negated cross-entropy loss −ℓ(x, y) (higher = more likely a member), and the operating threshold is the negated
/// mean loss the model had on its training examples. Pure functions, thread-safe.
/// </summary>
/// <remarks>
/// Yeom, Giacomelli, Fredrikson and Jha 2018, "Privacy Risk in Machine Learning: Analyzing the Connection to
/// Overfitting": the adversary knows the average training loss. When shadow models are available,
/// <see cref="MembershipAuditor"/> takes that average from the shadows' own training sets instead, so the
/// attack needs nothing from the target beyond its predictions.
/// </remarks>
public static class LossThresholdAttack
{
    /// <summary>The attack's scores −ℓ(x, y) for every example of <paramref name="predictions"/>.</summary>
    /// <param name="predictions">Prediction vectors and true labels.</param>
    /// <returns>One score per example.</returns>
    public static double[] Scores(PredictionSet predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        var scores = new double[predictions.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = -MembershipFeatures.Loss(predictions[i], predictions.Labels[i]);
        }

        return scores;
    }

    /// <summary>The threshold −mean ℓ over training examples: members' predictions of one or more models, pooled.</summary>
    /// <param name="trainingPredictions">Each model's predictions on its own training examples (at least one example in all).</param>
    /// <returns>The negated mean loss.</returns>
    /// <exception cref="ArgumentException">There is no example.</exception>
    public static double Threshold(IEnumerable<PredictionSet> trainingPredictions)
    {
        ArgumentNullException.ThrowIfNull(trainingPredictions);
        double sum = 0;
        long count = 0;
        foreach (PredictionSet predictions in trainingPredictions)
        {
            foreach (double score in Scores(predictions))
            {
                sum += score;
                count++;
            }
        }

        if (count == 0)
        {
            throw new ArgumentException("The threshold needs at least one training example.", nameof(trainingPredictions));
        }

        return sum / count;
    }
}
