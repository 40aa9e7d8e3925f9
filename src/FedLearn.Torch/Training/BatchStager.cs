using System.Runtime.InteropServices;
using FedLearn.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Builds mini-batches without allocating: one CPU feature tensor [capacity, record shape…] (float32) and one label
/// tensor [capacity] (int64) are allocated once, and each batch copies its records straight into their native
/// storage. A batch is a view of the first rows (moved to the device when that is not the CPU).
/// </summary>
/// <remarks>
/// The tensors a batch returns are new handles created in the caller's dispose scope; the caller disposes them
/// (a <see cref="torch.NewDisposeScope"/> per batch does). The next <see cref="Stage(DatasetView, ReadOnlySpan{int}, Device)"/>
/// overwrites the staging storage, so a batch must be consumed first. Not thread-safe.
/// </remarks>
internal sealed class BatchStager : IDisposable
{
    private readonly Tensor _features;
    private readonly Tensor _labels;
    private readonly long[] _recordShape;
    private readonly int _featureCount;

    public BatchStager(IReadOnlyList<int> recordShape, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _recordShape = recordShape.Select(d => (long)d).ToArray();
        _featureCount = TensorInfo.ElementCountOf(recordShape);
        Capacity = capacity;
        long[] shape = [capacity, .. _recordShape];
        // Owned by this instance for its whole life, not by whatever dispose scope is open now.
        _features = empty(shape, ScalarType.Float32, CPU).DetachFromDisposeScope();
        _labels = empty(capacity, ScalarType.Int64, CPU).DetachFromDisposeScope();
    }

    /// <summary>The most records one batch holds.</summary>
    public int Capacity { get; }

    /// <summary>True when this stager can batch records of <paramref name="recordShape"/>, <paramref name="capacity"/> at a time.</summary>
    public bool Fits(IReadOnlyList<int> recordShape, int capacity) =>
        capacity == Capacity && recordShape.Count == _recordShape.Length && recordShape.Select(d => (long)d).SequenceEqual(_recordShape);

    /// <summary>Stages the records at the given view positions.</summary>
    public (Tensor Features, Tensor Labels) Stage(DatasetView view, ReadOnlySpan<int> positions, Device device)
    {
        int count = positions.Length;
        CheckCount(view, count);
        Span<float> features = MemoryMarshal.Cast<byte, float>(_features.bytes);
        Span<long> labels = MemoryMarshal.Cast<byte, long>(_labels.bytes);
        for (int i = 0; i < count; i++)
        {
            view.GetFeatures(positions[i]).CopyTo(features.Slice(i * _featureCount, _featureCount));
            labels[i] = view.GetLabel(positions[i]);
        }

        return Views(count, device);
    }

    /// <summary>Stages <paramref name="count"/> consecutive records starting at view position <paramref name="start"/>.</summary>
    public (Tensor Features, Tensor Labels) Stage(DatasetView view, int start, int count, Device device)
    {
        CheckCount(view, count);
        Span<float> features = MemoryMarshal.Cast<byte, float>(_features.bytes);
        Span<long> labels = MemoryMarshal.Cast<byte, long>(_labels.bytes);
        for (int i = 0; i < count; i++)
        {
            view.GetFeatures(start + i).CopyTo(features.Slice(i * _featureCount, _featureCount));
            labels[i] = view.GetLabel(start + i);
        }

        return Views(count, device);
    }

    public void Dispose()
    {
        _features.Dispose();
        _labels.Dispose();
    }

    private void CheckCount(DatasetView view, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        if (view.Dataset.FeatureCount != _featureCount)
        {
            throw new ArgumentException(
                $"The data has {view.Dataset.FeatureCount} features per record but the batch was built for {_featureCount}.", nameof(view));
        }
    }

    private (Tensor Features, Tensor Labels) Views(int count, Device device)
    {
        Tensor features = _features.narrow(0, 0, count);
        Tensor labels = _labels.narrow(0, 0, count);
        if (device.type == DeviceType.CPU)
        {
            return (features, labels);
        }

        // The CPU views stay in the caller's scope and are disposed with the device copies.
        return (features.to(device), labels.to(device));
    }
}
