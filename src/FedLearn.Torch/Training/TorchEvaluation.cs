using FedLearn.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Evaluates weights on any <see cref="DatasetView"/>: mean cross-entropy loss and accuracy, with no gradients.
/// Used for central (server-side) evaluation and by <see cref="TorchTrainer.EvaluateAsync"/>.
/// </summary>
public static class TorchEvaluation
{
    /// <summary>
    /// Loads <paramref name="weights"/> into <paramref name="model"/> and evaluates it on <paramref name="data"/>, on
    /// the device the model's parameters are on. The model's weights are overwritten and it is left in eval mode.
    /// </summary>
    /// <param name="model">A model whose layout matches <paramref name="weights"/> and that returns logits [N, classes].</param>
    /// <param name="weights">The weights to evaluate.</param>
    /// <param name="data">The records; their <see cref="LabeledDataset.RecordShape"/> is the model's input shape.</param>
    /// <param name="batchSize">Records per forward pass.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>Loss and accuracy; <see cref="EvaluationMetrics.Empty"/> for an empty view.</returns>
    /// <exception cref="ArgumentException">The weights do not match the model.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static EvaluationMetrics Evaluate(
        nn.Module<Tensor, Tensor> model,
        ModelWeights weights,
        DatasetView data,
        int batchSize = TorchTrainerDefaults.EvaluationBatchSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        TorchRuntime.EnsureAvailable();
        model.LoadWeights(weights);
        if (data.Count == 0)
        {
            return EvaluationMetrics.Empty;
        }

        using var stager = new BatchStager(data.Dataset.RecordShape, Math.Min(batchSize, data.Count));
        return Run(model, data, stager, DeviceOf(model), cancellationToken);
    }

    /// <summary>
    /// <see cref="Evaluate"/> on FedLearn.Torch's dedicated worker threads (see <see cref="TorchRuntime.WorkerCount"/>),
    /// which keeps LibTorch's per-thread native memory flat when called every round. Do not use the model until the task ends.
    /// </summary>
    /// <param name="model">A model whose layout matches <paramref name="weights"/> and that returns logits [N, classes].</param>
    /// <param name="weights">The weights to evaluate.</param>
    /// <param name="data">The records; their <see cref="LabeledDataset.RecordShape"/> is the model's input shape.</param>
    /// <param name="batchSize">Records per forward pass.</param>
    /// <param name="cancellationToken">Cancels while queued, and between batches.</param>
    /// <returns>Loss and accuracy; <see cref="EvaluationMetrics.Empty"/> for an empty view.</returns>
    /// <exception cref="ArgumentException">The weights do not match the model.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static Task<EvaluationMetrics> EvaluateAsync(
        nn.Module<Tensor, Tensor> model,
        ModelWeights weights,
        DatasetView data,
        int batchSize = TorchTrainerDefaults.EvaluationBatchSize,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        return TorchRuntime.Workers.Run(token => Evaluate(model, weights, data, batchSize, token), cancellationToken);
    }

    /// <summary>Evaluates the model as it is (no weights are loaded) with a caller-owned stager.</summary>
    internal static EvaluationMetrics Run(nn.Module<Tensor, Tensor> model, DatasetView data, BatchStager stager, Device device, CancellationToken cancellationToken)
    {
        int count = data.Count;
        if (count == 0)
        {
            return EvaluationMetrics.Empty;
        }

        model.eval();
        using IDisposable noGrad = no_grad();
        double lossSum = 0;
        long correct = 0;
        for (int start = 0; start < count; start += stager.Capacity)
        {
            cancellationToken.ThrowIfCancellationRequested();
            int size = Math.Min(stager.Capacity, count - start);
            using DisposeScope scope = NewDisposeScope();
            (Tensor features, Tensor labels) = stager.Stage(data, start, size, device);
            Tensor logits = model.forward(features);
            Tensor loss = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.Sum);
            lossSum += loss.item<float>();
            correct += logits.argmax(1).eq(labels).sum().item<long>();
        }

        return new EvaluationMetrics(lossSum / count, (double)correct / count, count);
    }

    /// <summary>The device of the model's first parameter (the CPU for a model without parameters).</summary>
    internal static Device DeviceOf(nn.Module model)
    {
        foreach (var parameter in model.parameters())
        {
            return parameter.device_type == DeviceType.CPU ? CPU : parameter.device;
        }

        return CPU;
    }
}
