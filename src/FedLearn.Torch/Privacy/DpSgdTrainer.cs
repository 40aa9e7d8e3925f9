using System.Diagnostics;
using System.Runtime.InteropServices;
using FedLearn.Data;
using FedLearn.Privacy;
using FedLearn.Privacy.Accounting;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Trains a TorchSharp classifier with DP-SGD (Abadi et al. 2016) on one client's data and accounts the privacy spent:
/// batches drawn by Poisson sampling at rate q = expected batch / N, per-sample gradients clipped to an L2 norm of at
/// most C, Gaussian noise N(0, σ²C²) added to their sum, the result divided by the expected batch size and handed to
/// the optimizer; the RDP accountant records (σ, q) at every step.
/// </summary>
/// <remarks>
/// <para>
/// Per-sample gradients come from <see cref="PerSampleGradientEngine"/>: closed form for Linear, Conv2d, GroupNorm,
/// LayerNorm and Embedding layers invoked with <c>call</c>, one backward pass per sample for any other parameter.
/// Models with batch normalisation are rejected when the trainer is built. Loss is cross-entropy over the model's logits.
/// </para>
/// <para>
/// The guarantee is record-level (add or remove one record of <c>train</c>), for the weights released after every fit.
/// Noise comes from a TorchSharp generator seeded from <see cref="FitConfig.Seed"/>: reproducible, not cryptographically
/// secure. σ is fixed when the trainer is built (calibrated from <see cref="DpSgdOptions.TargetEpsilon"/> and
/// <see cref="DpSgdOptions.PlannedEpochs"/>, or given), and each fit runs ⌊local epochs / q⌋ steps.
/// </para>
/// <para>
/// Ownership and threading as <see cref="TorchTrainer"/>: the trainer owns and disposes the model, calls are serialised,
/// the work runs on FedLearn.Torch's worker threads; <see cref="Spent()"/> and the other privacy members may be read
/// from any thread at any time.
/// </para>
/// </remarks>
public sealed class DpSgdTrainer : ILocalTrainer, IPrivacyReporter, IDisposable
{
    private const long PoissonSeedPurpose = 0x504F_4953; // "POIS"
    private const long NoiseSeedPurpose = 0x4E4F_4953; // "NOIS"
    private const long TorchSeedPurpose = 0x544F_5243; // "TORC"

    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly PerSampleGradientEngine _engine;
    private readonly DatasetView _train;
    private readonly DatasetView _test;
    private readonly DpSgdOptions _options;
    private readonly RdpAccountant _accountant = new();
    private readonly Lock _accountantGate = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private BatchStager? _trainStager;
    private BatchStager? _testStager;
    private bool _disposed;

    /// <summary>Creates a trainer over a client's train and test data.</summary>
    /// <param name="model">The model, returning logits [N, classes]; the trainer owns and disposes it. No batch normalisation.</param>
    /// <param name="train">The records to train on privately (any subset of a <see cref="LabeledDataset"/>).</param>
    /// <param name="test">The records to evaluate on (may be empty).</param>
    /// <param name="options">The privacy target, clipping, batch and optimizer settings.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException"><paramref name="options"/> breaks a rule; the message lists every one.</exception>
    /// <exception cref="ArgumentException">The model has batch normalisation (the message says to use GroupNorm or LayerNorm) or no trainable parameter; or a target ε is set and <paramref name="train"/> is empty.</exception>
    /// <exception cref="InvalidOperationException">No noise multiplier reaches the target ε.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public DpSgdTrainer(nn.Module<Tensor, Tensor> model, DatasetView train, DatasetView test, DpSgdOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        FedLearn.Options.OptionsValidation.ThrowIfInvalid(options, nameof(DpSgdOptions));
        _options = options;
        Device = TorchRuntime.SelectDevice(options.Device);
        _engine = new PerSampleGradientEngine(model);
        _model = model;
        if (Device.type != DeviceType.CPU)
        {
            _model.to(Device);
        }

        _train = train;
        _test = test;
        SampleRate = train.Count == 0 ? 0.0 : Math.Min(1.0, (double)options.ExpectedBatchSize / train.Count);
        if (options.NoiseMultiplier is { } sigma)
        {
            NoiseMultiplier = sigma;
        }
        else
        {
            if (train.Count == 0)
            {
                throw new ArgumentException("A target ε needs training records to calibrate the noise to; the training set is empty.", nameof(train));
            }

            NoiseMultiplier = NoiseCalibration.ForEpochs(
                options.TargetEpsilon!.Value, options.Delta, SampleRate, options.PlannedEpochs!.Value, options.CalibrationTolerance).NoiseMultiplier;
        }
    }

    /// <summary>The device the model runs on.</summary>
    public Device Device { get; }

    /// <summary>σ: the noise standard deviation on the summed clipped gradients is σ·C.</summary>
    public double NoiseMultiplier { get; }

    /// <summary>q: the probability that a record joins a batch (expected batch size / N, at most 1; 0 without records).</summary>
    public double SampleRate { get; }

    /// <summary>C, the per-sample clipping norm.</summary>
    public double MaxGradientNorm => _options.MaxGradientNorm;

    /// <summary>δ of <see cref="Spent()"/>.</summary>
    public double Delta => _options.Delta;

    /// <summary>The noisy steps taken so far over every fit.</summary>
    public long StepCount
    {
        get
        {
            lock (_accountantGate)
            {
                return _accountant.StepCount;
            }
        }
    }

    /// <summary>The accountant's history: (σ, q, steps) entries.</summary>
    public IReadOnlyList<PrivacyStep> History
    {
        get
        {
            lock (_accountantGate)
            {
                return [.. _accountant.History];
            }
        }
    }

    /// <summary>The names of the parameters whose per-sample gradients the last step computed one sample at a time (empty when all had a closed form).</summary>
    public IReadOnlyList<string> FallbackParameterNames => _engine.FallbackParameterNames;

    /// <summary>The privacy spent over every fit so far at <see cref="Delta"/> (RDP accountant, Balle et al. 2020 conversion).</summary>
    /// <returns>ε = 0 before the first step; +∞ when σ = 0.</returns>
    public PrivacyBudget Spent() => Spent(_options.Delta);

    /// <inheritdoc />
    public PrivacyBudget Spent(double delta)
    {
        lock (_accountantGate)
        {
            return _accountant.GetSpent(delta).ToBudget();
        }
    }

    /// <summary>
    /// The privacy spent so far by the PRV accountant (Gopi et al. 2021), tighter than RDP; computed on demand from the
    /// step history (milliseconds to seconds), so call it once per report rather than every step.
    /// </summary>
    /// <param name="delta">δ; null for <see cref="Delta"/>.</param>
    /// <returns>The PRV bounds; <see cref="PrvEpsilon.Upper"/> is the figure to report. Null before the first step or when σ = 0.</returns>
    public PrvEpsilon? SpentPrv(double? delta = null)
    {
        PrivacyStep[] history;
        lock (_accountantGate)
        {
            history = [.. _accountant.History];
        }

        if (history.Length == 0 || history.Any(s => s.NoiseMultiplier == 0))
        {
            return null;
        }

        var prv = new PrvAccountant();
        foreach (PrivacyStep step in history)
        {
            prv.AddSteps(step.NoiseMultiplier, step.SampleRate, step.Steps);
        }

        return prv.GetEpsilon(delta ?? _options.Delta);
    }

    /// <inheritdoc />
    /// <remarks><see cref="FitConfig.BatchSize"/> is not used: batches are Poisson samples of expected size <see cref="DpSgdOptions.ExpectedBatchSize"/>.</remarks>
    /// <exception cref="ArgumentException">The config is invalid or the weights do not match the model.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked between steps).</exception>
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
        _engine.Dispose();
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

        long steps = Math.Max(1, NoiseCalibration.StepsFor(config.LocalEpochs, SampleRate));
        int capacity = Math.Min(_options.MaxPhysicalBatchSize, count);
        BatchStager stager = StagerFor(ref _trainStager, _train, capacity);
        random.manual_seed(unchecked((long)Seeds.Derive(config.Seed, TorchSeedPurpose))).Dispose();
        var sampling = new DeterministicRandom(Seeds.Derive(config.Seed, PoissonSeedPurpose));
        using var noise = new Generator(Seeds.Derive(config.Seed, NoiseSeedPurpose), CPU);
        double noiseStd = NoiseMultiplier * _options.MaxGradientNorm;
        double expectedBatch = SampleRate * count;
        IReadOnlyList<Parameter> parameters = _engine.Parameters;
        using LocalOptimizer optimizer = LocalOptimizer.Create(_options.Optimizer, parameters, config.LearningRate, _options.Momentum);
        _model.train();
        var batch = new List<int>();
        double lossSum = 0;
        long correct = 0;
        long seen = 0;
        for (long step = 0; step < steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            PoissonSampler.Draw(sampling, count, SampleRate, batch);
            using DisposeScope stepScope = NewDisposeScope();
            Tensor[] sums = [.. parameters.Select(p => zeros_like(p))];
            for (int start = 0; start < batch.Count; start += capacity)
            {
                int size = Math.Min(capacity, batch.Count - start);
                using DisposeScope chunkScope = NewDisposeScope();
                (Tensor features, Tensor labels) = stager.Stage(_train, CollectionsMarshal.AsSpan(batch).Slice(start, size), Device);
                PerSampleBatch perSample = _engine.Run(features, labels);
                Tensor factors = DpSgdClipping.Factors(perSample.SquaredNorms(), _options.MaxGradientNorm);
                Tensor[] clipped = perSample.WeightedSums(factors);
                using (no_grad())
                {
                    for (int k = 0; k < sums.Length; k++)
                    {
                        sums[k].add_(clipped[k], TorchScalars.One);
                    }

                    lossSum += perSample.Losses.sum().item<float>();
                    correct += perSample.Logits.argmax(1).eq(labels).sum().item<long>();
                }

                seen += size;
            }

            using (no_grad())
            {
                using Scalar batchScalar = expectedBatch.ToScalar();
                for (int k = 0; k < sums.Length; k++)
                {
                    Tensor noisy = DpSgdClipping.AddNoise(sums[k], noiseStd, noise).div_(batchScalar);
                    parameters[k].grad = noisy;
                }
            }

            optimizer.Step();
            lock (_accountantGate)
            {
                _accountant.Step(NoiseMultiplier, SampleRate);
            }
        }

        ModelWeights trained = globalWeights.ZerosLike();
        _model.CopyWeightsTo(trained);
        double loss = seen == 0 ? double.NaN : lossSum / seen;
        double accuracy = seen == 0 ? double.NaN : (double)correct / seen;
        return new LocalFitResult(trained, new TrainingMetrics(loss, accuracy, count, steps, stopwatch.Elapsed));
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

        if (!(config.LearningRate > 0) || double.IsInfinity(config.LearningRate))
        {
            problems.Add($"LearningRate is {config.LearningRate} but must be positive and finite");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid fit config: {string.Join("; ", problems)}.", nameof(config));
        }
    }
}
