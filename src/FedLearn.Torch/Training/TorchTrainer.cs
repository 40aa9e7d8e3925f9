using System.Buffers;
using System.Diagnostics;
using FedLearn.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Trains and evaluates one client's TorchSharp model on its local data: loads the global weights, runs the local
/// epochs of mini-batch SGD or Adam (with the FedProx proximal term when <see cref="FitConfig.ProximalMu"/> is
/// positive) and returns the new weights with training metrics.
/// </summary>
/// <remarks>
/// <para>
/// The trainer owns the model it is given (it moves it to the selected device and disposes it with the trainer) and
/// reuses it every round. Each round builds a fresh optimizer, so momentum and Adam moments do not carry over from
/// one round's global model to the next. Loss is cross-entropy over the model's logits.
/// </para>
/// <para>
/// Determinism: the shuffle order of every epoch comes from <see cref="DeterministicRandom"/> seeded from
/// <see cref="FitConfig.Seed"/>, and TorchSharp's global generator is seeded from it too (for dropout and other random
/// layers). Two fits with the same weights, configuration and seed on the same machine and thread count give
/// bit-identical weights. TorchSharp's generator is process-wide: when several trainers with random layers train at
/// once, their draws interleave; the ready models have no random layers.
/// </para>
/// <para>
/// Memory: batches are staged in tensors allocated once per trainer, and every tensor a batch creates is disposed at
/// the end of that batch (<see cref="torch.NewDisposeScope"/>), so native memory does not grow over rounds.
/// </para>
/// <para>
/// Thread-safety: calls on one trainer are serialised (a call waits, cancellably, for the one before it);
/// different trainers may run in parallel, up to <see cref="TorchRuntime.WorkerCount"/> at once. The work runs on
/// FedLearn.Torch's dedicated worker threads, which keeps LibTorch's per-thread native state from growing.
/// </para>
/// </remarks>
public sealed class TorchTrainer : ILocalTrainer, IDisposable
{
    // Purposes mixed into FitConfig.Seed (Seeds.Derive), so shuffling and TorchSharp's generator draw independent streams.
    private const long ShuffleSeedPurpose = 0x5348_5546; // "SHUF"
    private const long TorchSeedPurpose = 0x544F_5243; // "TORC"

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly DatasetView _train;
    private readonly DatasetView _test;
    private readonly TorchTrainerOptions _options;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BatchStager? _trainStager;
    private BatchStager? _testStager;
    private bool _disposed;

    /// <summary>Creates a trainer over a client's train and test data.</summary>
    /// <param name="model">The model, returning logits [N, classes]; the trainer owns and disposes it.</param>
    /// <param name="train">The client's training records.</param>
    /// <param name="test">The client's test records (may be empty).</param>
    /// <param name="options">Optimizer and device settings; null for the defaults.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule; the message lists every one.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public TorchTrainer(nn.Module<Tensor, Tensor> model, DatasetView train, DatasetView test, TorchTrainerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options ??= new TorchTrainerOptions();
        FedLearn.Options.OptionsValidation.ThrowIfInvalid(options, nameof(TorchTrainerOptions));
        _options = options;
        Device = TorchRuntime.SelectDevice(options.Device);
        _model = model;
        if (Device.type != DeviceType.CPU)
        {
            _model.to(Device);
        }

        _train = train;
        _test = test;
    }

    /// <summary>Creates a trainer with one of the ready models (<see cref="TorchModels.Create"/>).</summary>
    /// <param name="modelName"><c>mlp</c> or <c>cnn</c>.</param>
    /// <param name="train">The client's training records.</param>
    /// <param name="test">The client's test records (may be empty).</param>
    /// <param name="options">Optimizer and device settings; null for the defaults.</param>
    /// <returns>A trainer that owns its new model. Its initial weights do not matter: each fit loads the global ones.</returns>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is not a known model.</exception>
    public static TorchTrainer Create(string modelName, DatasetView train, DatasetView test, TorchTrainerOptions? options = null) =>
        new(TorchModels.Create(modelName, seed: 0), train, test, options);

    /// <summary>The device the model runs on.</summary>
    public Device Device { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The config is invalid or the weights do not match the model.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked between batches).</exception>
    public async Task<LocalFitResult> FitAsync(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(globalWeights);
        ArgumentNullException.ThrowIfNull(config);
        CheckConfig(config);
        return await ExclusiveTorchWork.RunAsync(_gate, () => _disposed, this, token => Fit(globalWeights, config, token), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The weights do not match the model.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked between batches).</exception>
    public async Task<EvaluationMetrics> EvaluateAsync(ModelWeights weights, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        return await ExclusiveTorchWork.RunAsync(_gate, () => _disposed, this, token => Evaluate(weights, token), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Disposes the model and the staging tensors. Call only when no fit or evaluation is running.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _trainStager?.Dispose();
        _testStager?.Dispose();
        _model.Dispose();
        _gate.Dispose();
    }

    private LocalFitResult Fit(ModelWeights globalWeights, FitConfig config, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        _model.LoadWeights(globalWeights);
        int count = _train.Count;
        if (count == 0 || config.LocalEpochs == 0)
        {
            return new LocalFitResult(globalWeights.Clone(), new TrainingMetrics(double.NaN, double.NaN, count, 0, stopwatch.Elapsed));
        }

        int batchSize = Math.Min(config.BatchSize, count);
        BatchStager stager = StagerFor(ref _trainStager, _train, batchSize);
        random.manual_seed(unchecked((long)Seeds.Derive(config.Seed, TorchSeedPurpose))).Dispose();
        var shuffle = new DeterministicRandom(Seeds.Derive(config.Seed, ShuffleSeedPurpose));
        int[] order = ArrayPool<int>.Shared.Rent(count);
        var proximal = new List<(Tensor Parameter, Tensor Global)>();
        Scalar? mu = null, negativeMu = null;
        try
        {
            for (int i = 0; i < count; i++)
            {
                order[i] = i;
            }

            List<Parameter> parameters = _model.parameters().ToList();
            if (config.ProximalMu > 0)
            {
                // w_global, fixed for the round: the proximal gradient μ·(w − w_global) is added after backward.
                using IDisposable noGrad = no_grad();
                foreach (Parameter parameter in parameters)
                {
                    using Tensor detached = parameter.detach();
                    proximal.Add((parameter, detached.clone().DetachFromDisposeScope()));
                }

                mu = config.ProximalMu.ToScalar();
                negativeMu = (-config.ProximalMu).ToScalar();
            }

            using LocalOptimizer optimizer = CreateOptimizer(parameters, config.LearningRate);
            _model.train();
            double lossSum = 0;
            long correct = 0;
            long steps = 0;
            for (int epoch = 0; epoch < config.LocalEpochs; epoch++)
            {
                shuffle.Shuffle(order.AsSpan(0, count));
                lossSum = 0;
                correct = 0;
                for (int start = 0; start < count; start += batchSize)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    int size = Math.Min(batchSize, count - start);
                    using DisposeScope scope = NewDisposeScope();
                    (Tensor features, Tensor labels) = stager.Stage(_train, order.AsSpan(start, size), Device);
                    Tensor logits = _model.forward(features);
                    Tensor loss = nn.functional.cross_entropy(logits, labels);
                    optimizer.ZeroGrad();
                    loss.backward();
                    if (mu is not null)
                    {
                        AddProximalGradient(proximal, mu, negativeMu!);
                    }

                    optimizer.Step();
                    steps++;
                    lossSum += (double)loss.item<float>() * size;
                    using (no_grad())
                    {
                        correct += logits.argmax(1).eq(labels).sum().item<long>();
                    }
                }
            }

            ModelWeights trained = globalWeights.ZerosLike();
            _model.CopyWeightsTo(trained);
            var metrics = new TrainingMetrics(lossSum / count, (double)correct / count, count, steps, stopwatch.Elapsed);
            return new LocalFitResult(trained, metrics);
        }
        finally
        {
            foreach ((_, Tensor global) in proximal)
            {
                global.Dispose();
            }

            mu?.Dispose();
            negativeMu?.Dispose();
            ArrayPool<int>.Shared.Return(order);
        }
    }

    private EvaluationMetrics Evaluate(ModelWeights weights, CancellationToken cancellationToken)
    {
        _model.LoadWeights(weights);
        if (_test.Count == 0)
        {
            return EvaluationMetrics.Empty;
        }

        BatchStager stager = StagerFor(ref _testStager, _test, Math.Min(_options.EvaluationBatchSize, _test.Count));
        return TorchEvaluation.Run(_model, _test, stager, Device, cancellationToken);
    }

    /// <summary>grad += μ·w − μ·w_global: the gradient of μ/2·‖w − w_global‖², added in place without temporaries.</summary>
    private static void AddProximalGradient(List<(Tensor Parameter, Tensor Global)> proximal, Scalar mu, Scalar negativeMu)
    {
        using IDisposable noGrad = no_grad();
        foreach ((Tensor parameter, Tensor global) in proximal)
        {
            Tensor? gradient = parameter.grad;
            if (gradient is null)
            {
                continue;
            }

            gradient.add_(parameter, mu).add_(global, negativeMu);
        }
    }

    private LocalOptimizer CreateOptimizer(List<Parameter> parameters, double learningRate) => LocalOptimizer.Create(
        _options.Optimizer,
        parameters,
        learningRate,
        _options.Momentum,
        _options.Nesterov,
        _options.WeightDecay,
        _options.AdamBeta1,
        _options.AdamBeta2,
        _options.AdamEpsilon);

    private static BatchStager StagerFor(ref BatchStager? stager, DatasetView view, int capacity)
    {
        if (stager is null || !stager.Fits(view.Dataset.RecordShape, capacity))
        {
            stager?.Dispose();
            stager = new BatchStager(view.Dataset.RecordShape, capacity);
        }

        return stager;
    }

    private static void CheckConfig(FitConfig config)
    {
        var problems = new List<string>();
        if (config.LocalEpochs < 0)
        {
            problems.Add($"LocalEpochs is {config.LocalEpochs} but must be at least 0");
        }

        if (config.BatchSize < 1)
        {
            problems.Add($"BatchSize is {config.BatchSize} but must be at least 1");
        }

        if (!(config.LearningRate > 0) || double.IsInfinity(config.LearningRate))
        {
            problems.Add($"LearningRate is {config.LearningRate} but must be positive and finite");
        }

        if (!(config.ProximalMu >= 0) || double.IsInfinity(config.ProximalMu))
        {
            problems.Add($"ProximalMu is {config.ProximalMu} but must be non-negative and finite");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid fit config: {string.Join("; ", problems)}.", nameof(config));
        }
    }
}
