using FedLearn.Privacy.Accounting;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// What a membership attack reads from one prediction vector: the loss on the true label, and the features of the
/// shadow-model attack. Pure functions, thread-safe.
/// </summary>
/// <remarks>
/// The shadow attack's features for C classes are C + 2 values: the confidences sorted in decreasing order (Shokri et
/// al. 2017 feed the prediction vector; sorting makes it independent of the class), the cross-entropy loss on the true
/// label (Yeom et al. 2018), and the logit-scaled confidence of the true label, log(p_y) − log(Σ_{j≠y} p_j), which
/// spreads out confidences near 1 where members and non-members differ (Carlini et al. 2022). Both label-dependent
/// features are formed from the other classes' probabilities, never from 1 − p_y, so they keep their precision when
/// p_y rounds to 1.
/// </remarks>
public static class MembershipFeatures
{
    private const double Floor = 1e-300;

    /// <summary>The number of shadow-attack features for <paramref name="classCount"/> classes: C + 2.</summary>
    /// <param name="classCount">Classes, at least 2.</param>
    /// <returns>C + 2.</returns>
    public static int Count(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        return classCount + 2;
    }

    /// <summary>The cross-entropy loss on the true label, −log p_y, computed as log(1 + Σ_{j≠y} p_j / p_y).</summary>
    /// <param name="probabilities">One prediction vector.</param>
    /// <param name="label">The true label.</param>
    /// <returns>The loss, ≥ 0; at most −log(1e-300) ≈ 690.8 when p_y is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is outside the vector.</exception>
    public static double Loss(ReadOnlySpan<double> probabilities, int label)
    {
        if ((uint)label >= (uint)probabilities.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The label is outside [0, {probabilities.Length}).");
        }

        double others = OthersSum(probabilities, label);
        double own = Math.Max(probabilities[label], Floor);
        return LogMath.Log1P(others / own);
    }

    /// <summary>log(p_y) − log(Σ_{j≠y} p_j), each probability floored at 1e-300 so the value is finite.</summary>
    /// <param name="probabilities">One prediction vector.</param>
    /// <param name="label">The true label.</param>
    /// <returns>The log-odds of the true label.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is outside the vector.</exception>
    public static double ScaledConfidence(ReadOnlySpan<double> probabilities, int label)
    {
        if ((uint)label >= (uint)probabilities.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The label is outside [0, {probabilities.Length}).");
        }

        return Math.Log(Math.Max(probabilities[label], Floor)) - Math.Log(Math.Max(OthersSum(probabilities, label), Floor));
    }

    /// <summary>Writes the shadow-attack features of one prediction vector.</summary>
    /// <param name="probabilities">One prediction vector of C classes.</param>
    /// <param name="label">The true label.</param>
    /// <param name="destination">C + 2 values: sorted confidences (decreasing), loss, scaled confidence.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> has the wrong length.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is outside the vector.</exception>
    public static void Write(ReadOnlySpan<double> probabilities, int label, Span<double> destination)
    {
        int classes = probabilities.Length;
        if (destination.Length != Count(classes))
        {
            throw new ArgumentException($"{classes} classes give {classes + 2} features but the destination holds {destination.Length}.", nameof(destination));
        }

        Span<double> sorted = destination[..classes];
        probabilities.CopyTo(sorted);
        sorted.Sort(static (x, y) => y.CompareTo(x));
        destination[classes] = Loss(probabilities, label);
        destination[classes + 1] = ScaledConfidence(probabilities, label);
    }

    /// <summary>The features of every example of a prediction set, row-major.</summary>
    /// <param name="predictions">The prediction vectors and labels.</param>
    /// <returns><c>predictions.Count × Count(classes)</c> values.</returns>
    public static double[] Matrix(PredictionSet predictions)
    {
        ArgumentNullException.ThrowIfNull(predictions);
        int width = Count(predictions.ClassCount);
        var matrix = new double[predictions.Count * width];
        for (int i = 0; i < predictions.Count; i++)
        {
            Write(predictions[i], predictions.Labels[i], matrix.AsSpan(i * width, width));
        }

        return matrix;
    }

    private static double OthersSum(ReadOnlySpan<double> probabilities, int label)
    {
        double sum = 0;
        for (int j = 0; j < probabilities.Length; j++)
        {
            if (j != label)
            {
                sum += probabilities[j];
            }
        }

        return sum;
    }
}
