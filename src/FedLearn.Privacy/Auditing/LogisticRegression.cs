using FedLearn.Privacy.Accounting;

namespace FedLearn.Privacy.Auditing;

/// <summary>
/// Binary logistic regression with an L2 penalty, fitted by Newton's method: minimises
/// (1/n)·Σ log(1 + e^(−ỹᵢ·(w·xᵢ + b))) + (λ/2)·‖w‖² (ỹ = ±1, the bias unpenalised) over features standardised to mean 0
/// and variance 1, then maps the weights back to the original scale. Immutable once fitted; thread-safe.
/// </summary>
/// <remarks>
/// Each Newton step solves (XᵀSX/n + λI)·Δ = −∇ by Cholesky (S = diag(pᵢ(1 − pᵢ))) and halves the step until the
/// objective falls; with λ &gt; 0 the objective is strictly convex, so the solution is unique. Meant for the few
/// features of a membership attack (tens), not for wide data: a step costs O(n·d²).
/// </remarks>
internal sealed class LogisticRegression
{
    private const int MaxIterations = 100;
    private const double GradientTolerance = 1e-10;

    private readonly double[] _weights;

    private LogisticRegression(double[] weights, double bias, int iterations)
    {
        _weights = weights;
        Bias = bias;
        Iterations = iterations;
    }

    /// <summary>The weights on the original (unstandardised) features.</summary>
    public ReadOnlySpan<double> Weights => _weights;

    /// <summary>The bias on the original features.</summary>
    public double Bias { get; }

    /// <summary>Newton iterations the fit took.</summary>
    public int Iterations { get; }

    /// <summary>Number of features.</summary>
    public int FeatureCount => _weights.Length;

    /// <summary>Fits the model.</summary>
    /// <param name="features">Row-major features, <paramref name="labels"/>.Length × <paramref name="featureCount"/> finite values.</param>
    /// <param name="labels">true for the positive class; both classes must occur.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="l2">λ &gt; 0, on the standardised features.</param>
    /// <returns>The fitted model.</returns>
    /// <exception cref="ArgumentException">The shapes disagree, a value is not finite, or one class is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="featureCount"/> or <paramref name="l2"/> is out of range.</exception>
    public static LogisticRegression Fit(ReadOnlySpan<double> features, ReadOnlySpan<bool> labels, int featureCount, double l2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        if (!(l2 > 0) || double.IsInfinity(l2))
        {
            throw new ArgumentOutOfRangeException(nameof(l2), l2, "The L2 penalty must be positive and finite.");
        }

        int n = labels.Length;
        if ((long)n * featureCount != features.Length)
        {
            throw new ArgumentException($"{n} labels × {featureCount} features need {(long)n * featureCount} values but {features.Length} were given.", nameof(features));
        }

        int positives = 0;
        foreach (bool label in labels)
        {
            positives += label ? 1 : 0;
        }

        if (positives == 0 || positives == n)
        {
            throw new ArgumentException($"Both classes must occur; {positives} of {n} labels are positive.", nameof(labels));
        }

        int d = featureCount;
        var mean = new double[d];
        var scale = new double[d];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double value = features[(i * d) + j];
                if (!double.IsFinite(value))
                {
                    throw new ArgumentException($"Feature {j} of row {i} is {value}; every feature must be finite.", nameof(features));
                }

                mean[j] += value;
            }
        }

        for (int j = 0; j < d; j++)
        {
            mean[j] /= n;
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                double centred = features[(i * d) + j] - mean[j];
                scale[j] += centred * centred;
            }
        }

        for (int j = 0; j < d; j++)
        {
            double sd = Math.Sqrt(scale[j] / n);
            scale[j] = sd > 0 ? sd : 0; // a constant feature gets weight 0
        }

        // Standardised design with a trailing 1 for the bias.
        int p = d + 1;
        var x = new double[n * p];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < d; j++)
            {
                x[(i * p) + j] = scale[j] > 0 ? (features[(i * d) + j] - mean[j]) / scale[j] : 0;
            }

            x[(i * p) + d] = 1;
        }

        var theta = new double[p];
        var gradient = new double[p];
        var hessian = new double[p * p];
        var step = new double[p];
        var candidate = new double[p];
        double objective = Objective(x, labels, theta, l2, d);
        int iteration = 0;
        for (; iteration < MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (int i = 0; i < n; i++)
            {
                ReadOnlySpan<double> row = x.AsSpan(i * p, p);
                double probability = Sigmoid(Dot(row, theta));
                double residual = probability - (labels[i] ? 1 : 0);
                double weight = probability * (1 - probability);
                for (int a = 0; a < p; a++)
                {
                    gradient[a] += residual * row[a];
                    for (int b = 0; b <= a; b++)
                    {
                        hessian[(a * p) + b] += weight * row[a] * row[b];
                    }
                }
            }

            double gradientNorm = 0;
            for (int a = 0; a < p; a++)
            {
                gradient[a] /= n;
                if (a < d)
                {
                    gradient[a] += l2 * theta[a];
                }

                gradientNorm = Math.Max(gradientNorm, Math.Abs(gradient[a]));
                for (int b = 0; b <= a; b++)
                {
                    hessian[(a * p) + b] /= n;
                    hessian[(b * p) + a] = hessian[(a * p) + b];
                }

                if (a < d)
                {
                    hessian[(a * p) + a] += l2;
                }
            }

            if (gradientNorm < GradientTolerance)
            {
                break;
            }

            // The bias column has no penalty; a tiny ridge keeps the Cholesky factor defined if every p(1 − p) underflows.
            hessian[(d * p) + d] += 1e-12;
            SolveCholesky(hessian, gradient, step, p);

            double stepSize = 1;
            bool improved = false;
            for (int halving = 0; halving < 60; halving++)
            {
                for (int a = 0; a < p; a++)
                {
                    candidate[a] = theta[a] - (stepSize * step[a]);
                }

                double candidateObjective = Objective(x, labels, candidate, l2, d);
                if (candidateObjective <= objective)
                {
                    Array.Copy(candidate, theta, p);
                    improved = candidateObjective < objective;
                    objective = candidateObjective;
                    break;
                }

                stepSize *= 0.5;
            }

            if (!improved)
            {
                break;
            }
        }

        var weights = new double[d];
        double bias = theta[d];
        for (int j = 0; j < d; j++)
        {
            if (scale[j] > 0)
            {
                weights[j] = theta[j] / scale[j];
                bias -= weights[j] * mean[j];
            }
        }

        return new LogisticRegression(weights, bias, iteration);
    }

    /// <summary>The predicted probability of the positive class for one row of features.</summary>
    /// <param name="features">The row, <see cref="FeatureCount"/> values.</param>
    /// <returns>σ(w·x + b) in [0, 1].</returns>
    /// <exception cref="ArgumentException">The row has the wrong length.</exception>
    public double PredictProbability(ReadOnlySpan<double> features) => Sigmoid(Decision(features));

    /// <summary>The decision value w·x + b (the log-odds of the positive class) for one row of features.</summary>
    /// <param name="features">The row, <see cref="FeatureCount"/> values.</param>
    /// <returns>The log-odds.</returns>
    /// <exception cref="ArgumentException">The row has the wrong length.</exception>
    public double Decision(ReadOnlySpan<double> features)
    {
        if (features.Length != _weights.Length)
        {
            throw new ArgumentException($"The model has {_weights.Length} features but the row has {features.Length}.", nameof(features));
        }

        return Dot(features, _weights) + Bias;
    }

    private static double Objective(double[] x, ReadOnlySpan<bool> labels, double[] theta, double l2, int d)
    {
        int p = theta.Length;
        double sum = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            double margin = Dot(x.AsSpan(i * p, p), theta) * (labels[i] ? 1 : -1);
            // log(1 + e^(−m)), without overflow for large |m|.
            sum += margin > 0 ? LogMath.Log1P(Math.Exp(-margin)) : -margin + LogMath.Log1P(Math.Exp(margin));
        }

        double penalty = 0;
        for (int j = 0; j < d; j++)
        {
            penalty += theta[j] * theta[j];
        }

        return (sum / labels.Length) + (0.5 * l2 * penalty);
    }

    private static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    /// <summary>Solves A·x = b for symmetric positive definite A (p × p, row-major; overwritten by its factor).</summary>
    private static void SolveCholesky(double[] a, double[] b, double[] x, int p)
    {
        for (int j = 0; j < p; j++)
        {
            double diagonal = a[(j * p) + j];
            for (int k = 0; k < j; k++)
            {
                diagonal -= a[(j * p) + k] * a[(j * p) + k];
            }

            if (!(diagonal > 0))
            {
                throw new InvalidOperationException("The Newton system is not positive definite; the features may be degenerate.");
            }

            double root = Math.Sqrt(diagonal);
            a[(j * p) + j] = root;
            for (int i = j + 1; i < p; i++)
            {
                double value = a[(i * p) + j];
                for (int k = 0; k < j; k++)
                {
                    value -= a[(i * p) + k] * a[(j * p) + k];
                }

                a[(i * p) + j] = value / root;
            }
        }

        // L·y = b, then Lᵀ·x = y.
        for (int i = 0; i < p; i++)
        {
            double value = b[i];
            for (int k = 0; k < i; k++)
            {
                value -= a[(i * p) + k] * x[k];
            }

            x[i] = value / a[(i * p) + i];
        }

        for (int i = p - 1; i >= 0; i--)
        {
            double value = x[i];
            for (int k = i + 1; k < p; k++)
            {
                value -= a[(k * p) + i] * x[k];
            }

            x[i] = value / a[(i * p) + i];
        }
    }
}
