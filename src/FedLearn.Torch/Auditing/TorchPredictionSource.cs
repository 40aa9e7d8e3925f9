using System.Runtime.InteropServices;
using FedLearn.Data;
using FedLearn.Privacy.Auditing;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// The prediction vectors of a TorchSharp classifier for a membership audit: loads the weights into the model and
/// returns the softmax of its logits for every example, computed in double precision so that confidences close to 1
/// keep their information.
/// </summary>
/// <remarks>
/// The source owns the model it is given and disposes it with itself. Calls are serialised (a call waits, cancellably,
/// for the one before it) and run on FedLearn.Torch's worker threads, on the device of the model's parameters, in eval
/// mode and without gradients.
/// </remarks>
public sealed class TorchPredictionSource : IPredictionSource, IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly int _batchSize;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    /// <summary>Creates a prediction source over <paramref name="model"/>.</summary>
    /// <param name="model">A model returning logits [N, classes]; the source owns and disposes it.</param>
    /// <param name="batchSize">Examples per forward pass, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is below 1.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public TorchPredictionSource(nn.Module<Tensor, Tensor> model, int batchSize = TorchTrainerDefaults.EvaluationBatchSize)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchRuntime.EnsureAvailable();
        _model = model;
        _batchSize = batchSize;
    }

    /// <summary>Creates a prediction source with one of the ready models (<see cref="TorchModels.Create"/>).</summary>
    /// <param name="modelName"><c>mlp</c> or <c>cnn</c>.</param>
    /// <param name="batchSize">Examples per forward pass, at least 1.</param>
    /// <returns>A source that owns its new model (whose own weights never matter: each call loads the given ones).</returns>
    /// <exception cref="ArgumentException"><paramref name="modelName"/> is not a known model.</exception>
    public static TorchPredictionSource Create(string modelName, int batchSize = TorchTrainerDefaults.EvaluationBatchSize) =>
        new(TorchModels.Create(modelName, seed: 0), batchSize);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The weights do not match the model, or the model's output is not [N, classes] with at least 2 classes.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled (checked between batches).</exception>
    public async Task<PredictionSet> PredictAsync(ModelWeights weights, DatasetView data, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(data);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await TorchRuntime.Workers.Run(token => Predict(weights, data, token), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Disposes the model. Call only when no prediction is running.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _model.Dispose();
        _gate.Dispose();
    }

    private PredictionSet Predict(ModelWeights weights, DatasetView data, CancellationToken cancellationToken)
    {
        _model.LoadWeights(weights);
        int count = data.Count;
        int classCount = data.Dataset.ClassCount;
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = data.GetLabel(i);
        }

        var probabilities = new double[(long)count * classCount];
        if (count == 0)
        {
            return new PredictionSet(probabilities, labels, classCount);
        }

        Device device = TorchEvaluation.DeviceOf(_model);
        using var stager = new BatchStager(data.Dataset.RecordShape, Math.Min(_batchSize, count));
        _model.eval();
        using IDisposable noGrad = no_grad();
        for (int start = 0; start < count; start += stager.Capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = Math.Min(stager.Capacity, count - start);
            using DisposeScope scope = NewDisposeScope();
            (Tensor features, _) = stager.Stage(data, start, size, device);
            Tensor logits = _model.forward(features);
            if (logits.dim() != 2 || logits.shape[0] != size || logits.shape[1] != classCount)
            {
                throw new ArgumentException(
                    $"The model returned logits of shape [{string.Join(", ", logits.shape)}] but [{size}, {classCount}] was expected for {classCount} classes.", nameof(data));
            }

            Tensor softmax = logits.to(ScalarType.Float64).softmax(1).cpu().contiguous();
            ReadOnlySpan<double> values = MemoryMarshal.Cast<byte, double>(softmax.bytes);
            values.CopyTo(probabilities.AsSpan(start * classCount, size * classCount));
        }

        return new PredictionSet(probabilities, labels, classCount);
    }
}
