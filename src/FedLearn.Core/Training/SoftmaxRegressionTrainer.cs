using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using FedLearn.Data;
using FedLearn.Options;

namespace FedLearn.Training;

/// <summary>
/// Trains softmax regression (one linear layer and a softmax, i.e. multinomial logistic regression) in plain C#
/// with mini-batch SGD on the cross-entropy: the reference <see cref="ILocalTrainer"/> that needs no native
/// library. The model is two tensors in PyTorch <c>nn.Linear</c> naming and layout: <c>fc.weight</c>
/// [classes, features] (row-major) and <c>fc.bias</c> [classes], in that order.
/// </summary>
/// <remarks>
/// <para>Each local epoch visits the training view in an order shuffled by <see cref="DeterministicRandom"/> seeded
/// with <see cref="FitConfig.Seed"/>; each batch takes one step w ← w − η·(∇ + λ·w + μ·(w − w_global)) with ∇ the
/// mean cross-entropy gradient of the batch, λ the weight decay of <see cref="SoftmaxRegressionOptions"/> and μ the
/// FedProx coefficient <see cref="FitConfig.ProximalMu"/> (Li et al. 2020, "Federated Optimization in Heterogeneous
/// Networks"). The last batch of an epoch may be smaller.</para>
/// <para>Deterministic: the same weights, data, options and config give bit-identical weights on the same hardware
/// and runtime. (The dot products use <see cref="TensorPrimitives"/>, whose summation order follows the SIMD width,
/// so CPUs with different vector widths may round differently.)</para>
/// <para>Training runs synchronously on the calling thread; scratch buffers come from <see cref="ArrayPool{T}"/>
/// once per call, nothing is allocated per example. The instance holds no mutable state, so several rounds or
/// evaluations may run on it concurrently.</para>
/// </remarks>
public sealed class SoftmaxRegressionTrainer : ILocalTrainer
{
    /// <summary>Name of the weight tensor, [classes, features].</summary>
    public const string WeightName = "fc.weight";

    /// <summary>Name of the bias tensor, [classes].</summary>
    public const string BiasName = "fc.bias";

    private readonly DatasetView _train;
    private readonly DatasetView? _test;
    private readonly float _weightDecay;

    /// <summary>Creates a trainer over a client's training data and, optionally, its test data.</summary>
    /// <param name="train">The records to train on; the feature and class counts of its dataset fix the model's shape. May be empty.</param>
    /// <param name="test">The records <see cref="EvaluateAsync"/> uses; null or empty means the client has no test data.</param>
    /// <param name="options">Settings; null uses the defaults in <see cref="SoftmaxRegressionDefaults"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="train"/> is null.</exception>
    /// <exception cref="ArgumentException">The test data has another feature or class count than the training data.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message lists every error.</exception>
    public SoftmaxRegressionTrainer(DatasetView train, DatasetView? test = null, SoftmaxRegressionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(train);
        options ??= new SoftmaxRegressionOptions();
        OptionsValidation.ThrowIfInvalid(options, nameof(SoftmaxRegressionOptions));
        if (test is not null && (test.Dataset.FeatureCount != train.Dataset.FeatureCount || test.Dataset.ClassCount != train.Dataset.ClassCount))
        {
            throw new ArgumentException(
                $"The test data has {test.Dataset.FeatureCount} features and {test.Dataset.ClassCount} classes but the training data has {train.Dataset.FeatureCount} and {train.Dataset.ClassCount}.",
                nameof(test));
        }

        _train = train;
        _test = test;
        _weightDecay = (float)options.WeightDecay;
    }

    /// <summary>Number of input features of the model.</summary>
    public int FeatureCount => _train.Dataset.FeatureCount;

    /// <summary>Number of classes of the model.</summary>
    public int ClassCount => _train.Dataset.ClassCount;

    /// <summary>
    /// Creates initial weights for <paramref name="features"/> inputs and <paramref name="classes"/> outputs. Every
    /// value (weights, then biases, row-major) is drawn uniformly from [−1/√features, 1/√features), the distribution
    /// PyTorch's <c>nn.Linear</c> starts from, with <see cref="DeterministicRandom"/> seeded by <paramref name="seed"/>.
    /// Small random values rather than zeros so that a run's seed shows in its starting point; the loss is convex,
    /// so training reaches the same optimum from either.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> or <paramref name="classes"/> is not positive.</exception>
    public static ModelWeights CreateInitialWeights(int features, int classes, ulong seed)
    {
        ModelWeights weights = CreateZeroWeights(features, classes);
        var random = new DeterministicRandom(seed);
        double bound = 1.0 / Math.Sqrt(features);
        Span<float> values = weights.AsSpan();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(((2.0 * random.NextDouble()) - 1.0) * bound);
        }

        return weights;
    }

    /// <summary>Creates all-zero weights with the softmax-regression layout.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="features"/> or <paramref name="classes"/> is not positive.</exception>
    public static ModelWeights CreateZeroWeights(int features, int classes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(features);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        if ((long)classes * features + classes > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features, $"{classes} classes × {features} features exceed the largest model one buffer holds.");
        }

        return new ModelWeights([(WeightName, [classes, features]), (BiasName, [classes])]);
    }

    /// <summary>Throws a clear error unless <paramref name="weights"/> is softmax regression over the given sizes.</summary>
    /// <exception cref="ArgumentException">
    /// The weights are not exactly <c>fc.weight</c> [classes, features] followed by <c>fc.bias</c> [classes]; the
    /// message shows the expected and the actual tensors.
    /// </exception>
    public static void EnsureLayout(ModelWeights weights, int features, int classes, string? parameterName = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        IReadOnlyList<TensorInfo> tensors = weights.Tensors;
        bool ok = tensors.Count == 2
            && tensors[0].Name == WeightName && tensors[0].Shape.SequenceEqual([classes, features])
            && tensors[1].Name == BiasName && tensors[1].Shape.SequenceEqual([classes]);
        if (!ok)
        {
            string actual = tensors.Count == 0 ? "no tensors" : string.Join(", ", tensors.Select(t => $"'{t.Name}' {t.ShapeText}"));
            throw new ArgumentException(
                $"Softmax regression over {features} features and {classes} classes needs the tensors '{WeightName}' [{classes}, {features}] and '{BiasName}' [{classes}], in that order, but the weights have {actual}.",
                parameterName ?? nameof(weights));
        }
    }

    /// <summary>
    /// Computes the mean cross-entropy and the accuracy of <paramref name="weights"/> on <paramref name="data"/>
    /// (central evaluation on the server uses it as well). Reads the weights; allocates no per-example memory.
    /// </summary>
    /// <returns>The metrics; <see cref="EvaluationMetrics.Empty"/> when <paramref name="data"/> is empty.</returns>
    /// <exception cref="ArgumentException">The weights do not fit the data's feature and class counts.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static EvaluationMetrics Evaluate(ModelWeights weights, DatasetView data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(data);
        int features = data.Dataset.FeatureCount;
        int classes = data.Dataset.ClassCount;
        EnsureLayout(weights, features, classes);
        cancellationToken.ThrowIfCancellationRequested();
        if (data.Count == 0)
        {
            return EvaluationMetrics.Empty;
        }

        ReadOnlySpan<float> w = weights.GetTensor(WeightName);
        ReadOnlySpan<float> b = weights.GetTensor(BiasName);
        float[] rented = ArrayPool<float>.Shared.Rent(classes);
        try
        {
            Span<float> logits = rented.AsSpan(0, classes);
            double lossSum = 0;
            long correct = 0;
            for (int i = 0; i < data.Count; i++)
            {
                if ((i & 1023) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                int label = data.GetLabel(i);
                SoftmaxRegressionKernel.Logits(w, b, data.GetFeatures(i), logits);
                lossSum += SoftmaxRegressionKernel.SoftmaxCrossEntropy(logits, label, out int predicted);
                correct += predicted == label ? 1 : 0;
            }

            return new EvaluationMetrics(lossSum / data.Count, (double)correct / data.Count, data.Count);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Runs synchronously and returns a completed task. The cancellation token is checked before every batch.
    /// With no training data (or zero local epochs) the result holds a copy of the global weights, NaN loss and
    /// accuracy, and no steps.
    /// </remarks>
    /// <exception cref="ArgumentException">The weights do not have the layout <see cref="EnsureLayout"/> checks.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The config has negative local epochs, a batch size below 1, a learning rate that is not positive and finite, a
    /// proximal μ that is negative or not finite, or η·(λ + μ) ≥ 2, where explicit SGD on the decay and proximal terms diverges.
    /// </exception>
    public Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(globalWeights);
        ArgumentNullException.ThrowIfNull(config);
        EnsureLayout(globalWeights, FeatureCount, ClassCount, nameof(globalWeights));
        CheckConfig(config);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<LocalFitResult>(cancellationToken);
        }

        try
        {
            return Task.FromResult(Fit(globalWeights, config, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<LocalFitResult>(cancellationToken);
        }
    }

    /// <inheritdoc />
    /// <remarks>Runs synchronously on the test data given at construction; <see cref="EvaluationMetrics.Empty"/> when there is none.</remarks>
    /// <exception cref="ArgumentException">The weights do not have the layout <see cref="EnsureLayout"/> checks.</exception>
    public Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        EnsureLayout(weights, FeatureCount, ClassCount, nameof(weights));
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<EvaluationMetrics>(cancellationToken);
        }

        if (_test is null || _test.Count == 0)
        {
            return Task.FromResult(EvaluationMetrics.Empty);
        }

        try
        {
            return Task.FromResult(Evaluate(weights, _test, cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<EvaluationMetrics>(cancellationToken);
        }
    }

    private void CheckConfig(FitConfig config)
    {
        if (config.LocalEpochs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(config), config.LocalEpochs, "FitConfig.LocalEpochs must not be negative.");
        }

        if (config.BatchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(config), config.BatchSize, "FitConfig.BatchSize must be at least 1.");
        }

        if (!(config.LearningRate > 0) || !double.IsFinite(config.LearningRate))
        {
            throw new ArgumentOutOfRangeException(nameof(config), config.LearningRate, "FitConfig.LearningRate must be positive and finite.");
        }

        if (!(config.ProximalMu >= 0) || !double.IsFinite(config.ProximalMu))
        {
            throw new ArgumentOutOfRangeException(nameof(config), config.ProximalMu, "FitConfig.ProximalMu must be zero or positive and finite.");
        }

        // Each step scales w − w_global (and w) by 1 − η·(λ + μ) before the loss gradient; at 2 or more that factor
        // has magnitude ≥ 1 and the weights oscillate with growing amplitude instead of staying near the target.
        double linearRate = config.LearningRate * (_weightDecay + config.ProximalMu);
        if (linearRate >= 2)
        {
            throw new ArgumentOutOfRangeException(
                nameof(config),
                linearRate,
                $"FitConfig.LearningRate × (WeightDecay + FitConfig.ProximalMu) is {linearRate.ToString(CultureInfo.InvariantCulture)}; it must stay below 2 or SGD diverges. Lower the learning rate or μ.");
        }
    }

    private LocalFitResult Fit(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        ModelWeights local = globalWeights.Clone();
        int count = _train.Count;
        if (count == 0 || config.LocalEpochs == 0)
        {
            return new LocalFitResult(local, new TrainingMetrics(double.NaN, double.NaN, count, 0, Stopwatch.GetElapsedTime(started)));
        }

        int features = FeatureCount;
        int classes = ClassCount;
        int parameters = local.Length;
        int weightLength = classes * features;
        float learningRate = (float)config.LearningRate;
        float proximalMu = (float)config.ProximalMu;
        bool proximal = proximalMu > 0;
        ReadOnlySpan<float> global = globalWeights.AsSpan();
        Span<float> w = local.AsSpan();

        float[] gradientArray = ArrayPool<float>.Shared.Rent(parameters);
        float[] scratchArray = ArrayPool<float>.Shared.Rent(proximal ? parameters : 0);
        float[] logitsArray = ArrayPool<float>.Shared.Rent(classes);
        int[] orderArray = ArrayPool<int>.Shared.Rent(count);
        try
        {
            Span<float> gradient = gradientArray.AsSpan(0, parameters);
            Span<float> weightGradient = gradient[..weightLength];
            Span<float> biasGradient = gradient[weightLength..];
            Span<float> scratch = scratchArray.AsSpan(0, proximal ? parameters : 0);
            Span<float> logits = logitsArray.AsSpan(0, classes);
            Span<int> order = orderArray.AsSpan(0, count);
            var random = new DeterministicRandom(config.Seed);
            long steps = 0;
            double epochLoss = 0;
            long epochCorrect = 0;

            for (int epoch = 0; epoch < config.LocalEpochs; epoch++)
            {
                for (int i = 0; i < count; i++)
                {
                    order[i] = i;
                }

                random.Shuffle(order);
                epochLoss = 0;
                epochCorrect = 0;
                for (int start = 0; start < count; start += config.BatchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int end = Math.Min(start + config.BatchSize, count);
                    gradient.Clear();
                    ReadOnlySpan<float> weight = w[..weightLength];
                    ReadOnlySpan<float> bias = w[weightLength..];
                    for (int k = start; k < end; k++)
                    {
                        int position = order[k];
                        int label = _train.GetLabel(position);
                        ReadOnlySpan<float> x = _train.GetFeatures(position);
                        SoftmaxRegressionKernel.Logits(weight, bias, x, logits);
                        epochLoss += SoftmaxRegressionKernel.SoftmaxCrossEntropy(logits, label, out int predicted);
                        epochCorrect += predicted == label ? 1 : 0;
                        SoftmaxRegressionKernel.AccumulateGradient(logits, label, x, weightGradient, biasGradient);
                    }

                    ApplyStep(w, global, gradient, scratch, end - start, learningRate, _weightDecay, proximalMu);
                    steps++;
                }
            }

            if (!TensorPrimitives.IsFiniteAll<float>(w))
            {
                throw new InvalidOperationException(
                    $"Training diverged: the weights are no longer finite after {steps} steps with learning rate {config.LearningRate.ToString(CultureInfo.InvariantCulture)}; lower it.");
            }

            var metrics = new TrainingMetrics(epochLoss / count, (double)epochCorrect / count, count, steps, Stopwatch.GetElapsedTime(started));
            return new LocalFitResult(local, metrics);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(gradientArray);
            ArrayPool<float>.Shared.Return(scratchArray);
            ArrayPool<float>.Shared.Return(logitsArray);
            ArrayPool<int>.Shared.Return(orderArray);
        }
    }

    // w ← w − η·(sum/B + λ·w + μ·(w − w_global)), built up in the gradient buffer in that order.
    private static void ApplyStep(
        Span<float> w,
        ReadOnlySpan<float> global,
        Span<float> gradient,
        Span<float> scratch,
        int batchSize,
        float learningRate,
        float weightDecay,
        float proximalMu)
    {
        TensorPrimitives.Divide(gradient, batchSize, gradient);
        if (weightDecay > 0)
        {
            TensorPrimitives.MultiplyAdd(w, weightDecay, gradient, gradient);
        }

        if (proximalMu > 0)
        {
            TensorPrimitives.Subtract(w, global, scratch);
            TensorPrimitives.MultiplyAdd(scratch, proximalMu, gradient, gradient);
        }

        TensorPrimitives.MultiplyAdd(gradient, -learningRate, w, w);
    }
}
