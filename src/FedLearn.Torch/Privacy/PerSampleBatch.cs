using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// The per-sample gradients of one batch as <see cref="PerSampleGradientEngine.Run"/> leaves them: materialised
/// ([B, parameter shape…]) or, for layers with a cheaper route, as activations and output gradients from which norms
/// and weighted sums are formed directly. Tensors live in the dispose scope of the call that made them.
/// </summary>
internal sealed class PerSampleBatch
{
    private readonly Entry?[] _entries;
    private readonly Parameter[] _parameters;

    public PerSampleBatch(Tensor logits, Tensor losses, Entry?[] entries, Parameter[] parameters, long batchSize)
    {
        Logits = logits;
        Losses = losses;
        _entries = entries;
        _parameters = parameters;
        BatchSize = batchSize;
    }

    /// <summary>The model's output [B, classes].</summary>
    public Tensor Logits { get; }

    /// <summary>Per-sample cross-entropy [B].</summary>
    public Tensor Losses { get; }

    /// <summary>B.</summary>
    public long BatchSize { get; }

    /// <summary>‖gₙ‖² over all trainable parameters, shape [B], in float32.</summary>
    public Tensor SquaredNorms()
    {
        Tensor total = zeros(BatchSize, ScalarType.Float32, Logits.device);
        foreach (Entry? entry in _entries)
        {
            if (entry is null)
            {
                continue;
            }

            if (entry.PerSample is { } perSample)
            {
                total = total.add(perSample.reshape(BatchSize, -1).square().sum(1), TorchScalars.One);
            }
            else if (entry.IsFirstOfLayer)
            {
                total = total.add(entry.Layer!.Norms, TorchScalars.One);
            }
        }

        return total;
    }

    /// <summary>Σₙ wₙ·gₙ for every trainable parameter (its shape), in parameter order.</summary>
    public Tensor[] WeightedSums(Tensor weights)
    {
        var result = new Tensor[_entries.Length];
        var ghostSums = new Dictionary<GhostLayer, Tensor[]>();
        for (int i = 0; i < _entries.Length; i++)
        {
            Entry? entry = _entries[i];
            if (entry is null)
            {
                result[i] = zeros_like(_parameters[i]);
            }
            else if (entry.PerSample is { } perSample)
            {
                result[i] = weights.matmul(perSample.reshape(BatchSize, -1)).reshape(_parameters[i].shape);
            }
            else
            {
                GhostLayer layer = entry.Layer!;
                if (!ghostSums.TryGetValue(layer, out Tensor[]? sums))
                {
                    ghostSums[layer] = sums = layer.Sampler.WeightedSum(layer.Activations, layer.Gradient, weights);
                }

                result[i] = sums[entry.Index];
            }
        }

        return result;
    }

    /// <summary>Every trainable parameter's per-sample gradients [B, parameter shape…], in parameter order.</summary>
    public Tensor[] Materialize()
    {
        var result = new Tensor[_entries.Length];
        var ghostParts = new Dictionary<GhostLayer, Tensor[]>();
        for (int i = 0; i < _entries.Length; i++)
        {
            Entry? entry = _entries[i];
            if (entry is null)
            {
                result[i] = zeros([BatchSize, .. _parameters[i].shape], _parameters[i].dtype, _parameters[i].device);
            }
            else if (entry.PerSample is { } perSample)
            {
                result[i] = perSample;
            }
            else
            {
                GhostLayer layer = entry.Layer!;
                if (!ghostParts.TryGetValue(layer, out Tensor[]? parts))
                {
                    ghostParts[layer] = parts = layer.Sampler.PerSample(layer.Activations, layer.Gradient);
                }

                result[i] = parts[entry.Index];
            }
        }

        return result;
    }

    /// <summary>One layer's activations, output gradients and per-sample squared norms, kept instead of its per-sample gradients.</summary>
    internal sealed record GhostLayer(GradSampler Sampler, Tensor Activations, Tensor Gradient, Tensor Norms);

    /// <summary>Where one parameter's per-sample gradients are.</summary>
    internal sealed class Entry
    {
        private Entry(Tensor? perSample, GhostLayer? layer, int index, bool isFirstOfLayer)
        {
            PerSample = perSample;
            Layer = layer;
            Index = index;
            IsFirstOfLayer = isFirstOfLayer;
        }

        public Tensor? PerSample { get; }

        public GhostLayer? Layer { get; }

        public int Index { get; }

        public bool IsFirstOfLayer { get; }

        public static Entry Materialized(Tensor perSample) => new(perSample, null, 0, false);

        public static Entry Ghost(GhostLayer layer, int index, bool first) => new(null, layer, index, first);
    }
}
