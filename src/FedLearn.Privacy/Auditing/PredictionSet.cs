namespace FedLearn.Privacy.Auditing;

/// <summary>
/// A model's prediction vectors for a set of examples: one row of class probabilities per example, row-major, with
/// the examples' true labels. Immutable after construction (the arrays are owned by the set) and thread-safe to read.
/// </summary>
/// <remarks>
/// Probabilities are doubles so that confidences close to 1 keep their information: a member's probability of its
/// true class is often 1 − 1e-12, which a float would round to 1. The membership features never form 1 − p; they sum
/// the other classes' probabilities instead.
/// </remarks>
public sealed class PredictionSet
{
    private readonly double[] _probabilities;
    private readonly int[] _labels;

    /// <summary>Wraps probabilities and labels; the set owns both arrays from now on.</summary>
    /// <param name="probabilities">Row-major probabilities, <c>labels.Length × classCount</c> values, each in [0, 1] with rows summing to 1 (within 1e-6).</param>
    /// <param name="labels">The true label of each example, in [0, <paramref name="classCount"/>).</param>
    /// <param name="classCount">Classes per row, at least 2.</param>
    /// <exception cref="ArgumentException">The lengths disagree, a probability is outside [0, 1], a row does not sum to 1, or a label is out of range.</exception>
    public PredictionSet(double[] probabilities, int[] labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        if ((long)labels.Length * classCount != probabilities.Length)
        {
            throw new ArgumentException($"{labels.Length} labels × {classCount} classes need {(long)labels.Length * classCount} probabilities but {probabilities.Length} were given.", nameof(probabilities));
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classCount)
            {
                throw new ArgumentException($"Label {labels[i]} of example {i} is outside [0, {classCount}).", nameof(labels));
            }

            double sum = 0;
            for (int c = 0; c < classCount; c++)
            {
                double value = probabilities[(i * classCount) + c];
                if (!(value >= 0 && value <= 1))
                {
                    throw new ArgumentException($"Probability {c} of example {i} is {value}; probabilities must be in [0, 1].", nameof(probabilities));
                }

                sum += value;
            }

            if (Math.Abs(sum - 1) > 1e-6)
            {
                throw new ArgumentException($"The probabilities of example {i} sum to {sum}, not 1.", nameof(probabilities));
            }
        }

        _probabilities = probabilities;
        _labels = labels;
        ClassCount = classCount;
    }

    /// <summary>Number of examples.</summary>
    public int Count => _labels.Length;

    /// <summary>Classes per row.</summary>
    public int ClassCount { get; }

    /// <summary>The true labels.</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>The class probabilities of one example.</summary>
    /// <param name="index">The example, in [0, <see cref="Count"/>).</param>
    public ReadOnlySpan<double> this[int index] => _probabilities.AsSpan(checked(index * ClassCount), ClassCount);

    /// <summary>The share of examples whose most probable class is the true label (ties go to the lowest class).</summary>
    /// <returns>Accuracy in [0, 1]; NaN for an empty set.</returns>
    public double Accuracy()
    {
        if (Count == 0)
        {
            return double.NaN;
        }

        int correct = 0;
        for (int i = 0; i < Count; i++)
        {
            ReadOnlySpan<double> row = this[i];
            int best = 0;
            for (int c = 1; c < row.Length; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            correct += best == _labels[i] ? 1 : 0;
        }

        return (double)correct / Count;
    }
}
