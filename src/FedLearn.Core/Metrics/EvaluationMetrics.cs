namespace FedLearn;

/// <summary>Loss and accuracy of a model on a dataset.</summary>
/// <param name="Loss">Mean loss per example.</param>
/// <param name="Accuracy">Fraction of examples classified correctly, in [0, 1].</param>
/// <param name="ExampleCount">Number of examples evaluated; 0 means no data (loss and accuracy are NaN).</param>
public sealed record EvaluationMetrics(double Loss, double Accuracy, long ExampleCount)
{
    /// <summary>Metrics for an empty dataset.</summary>
    public static EvaluationMetrics Empty { get; } = new(double.NaN, double.NaN, 0);

    /// <summary>Example-weighted mean of several evaluations (an empty list gives <see cref="Empty"/>).</summary>
    public static EvaluationMetrics WeightedMean(IEnumerable<EvaluationMetrics> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        double loss = 0, accuracy = 0;
        long count = 0;
        foreach (EvaluationMetrics part in parts)
        {
            if (part.ExampleCount == 0)
            {
                continue;
            }

            loss += part.Loss * part.ExampleCount;
            accuracy += part.Accuracy * part.ExampleCount;
            count += part.ExampleCount;
        }

        return count == 0 ? Empty : new EvaluationMetrics(loss / count, accuracy / count, count);
    }
}
