using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Computes per-sample gradients of a model's trainable parameters for a batch, with one forward pass and one backward
/// pass for the layers it knows (<see cref="Linear"/>, <see cref="Conv2d"/>, <see cref="GroupNorm"/>,
/// <see cref="LayerNorm"/>, <see cref="Embedding"/>) and one backward pass per sample for every other parameter.
/// </summary>
/// <remarks>
/// <para>
/// Forward hooks on the known layers record each call's input and output. The gradient of the summed per-sample
/// cross-entropy with respect to those outputs is taken with <c>autograd.grad</c>; each layer's
/// <see cref="GradSampler"/> turns activations and output gradients into per-sample parameter gradients. TorchSharp
/// runs forward hooks only when a layer is invoked with <c>call</c> (as PyTorch's <c>__call__</c>), not with
/// <c>forward</c>; a known layer invoked with <c>forward</c> is not seen, and its parameters take the per-sample path
/// (correct, but one backward pass per sample). <see cref="FallbackParameterNames"/> says which parameters did.
/// </para>
/// <para>
/// Layer outputs must not be modified in place after the layer returns (an in-place activation on them), since the
/// gradient is taken with respect to the recorded output. Not thread-safe; one engine per model.
/// </para>
/// </remarks>
internal sealed class PerSampleGradientEngine : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _model;
    private readonly List<GradSampler> _samplers = [];
    private readonly List<Action> _hookRemovers = [];
    private readonly List<Capture> _captures = [];
    private readonly Parameter[] _parameters;
    private readonly string[] _parameterNames;
    private bool _capturing;

    /// <summary>Attaches to <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentException">The model has batch normalisation (see <see cref="DpSgdModelCheck"/>) or no trainable parameter.</exception>
    public PerSampleGradientEngine(nn.Module<Tensor, Tensor> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        DpSgdModelCheck.ThrowIfIncompatible(model, nameof(model));
        _model = model;
        var named = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        if (named.Count == 0)
        {
            throw new ArgumentException("DP-SGD needs a model with at least one trainable parameter.", nameof(model));
        }

        _parameters = [.. named.Select(p => p.parameter)];
        _parameterNames = [.. named.Select(p => p.name)];
        foreach ((string name, nn.Module module) in model.named_modules())
        {
            GradSampler? sampler = module switch
            {
                Linear linear => new LinearGradSampler(name, linear),
                Conv2d conv => Conv2dGradSampler.TryCreate(name, conv),
                GroupNorm norm when norm.affine => new GroupNormGradSampler(name, norm),
                LayerNorm norm when norm.weight is not null => new LayerNormGradSampler(name, norm),
                Embedding embedding => new EmbeddingGradSampler(name, embedding),
                _ => null,
            };
            if (sampler is null || !sampler.Parameters.Any(p => p.requires_grad) || module is not nn.Module<Tensor, Tensor> hookable)
            {
                continue;
            }

            _samplers.Add(sampler);
            var remover = hookable.register_forward_hook((_, input, output) =>
            {
                if (_capturing)
                {
                    _captures.Add(new Capture(sampler, input.detach(), output.alias()));
                }

                return output;
            });
            _hookRemovers.Add(remover.remove);
        }
    }

    /// <summary>The trainable parameters, in <c>named_parameters()</c> order: the order of every gradient list returned.</summary>
    public IReadOnlyList<Parameter> Parameters => _parameters;

    /// <summary>The names of <see cref="Parameters"/>.</summary>
    public IReadOnlyList<string> ParameterNames => _parameterNames;

    /// <summary>The parameters the last batch computed one sample at a time (empty when every layer was handled in closed form).</summary>
    public IReadOnlyList<string> FallbackParameterNames { get; private set; } = [];

    /// <summary>
    /// Runs the model on a batch and computes what clipping needs. Every tensor of the result lives in the caller's
    /// dispose scope; the model's parameter gradients (<c>.grad</c>) are not touched.
    /// </summary>
    /// <param name="features">The inputs [B, …].</param>
    /// <param name="labels">The class labels [B] (int64).</param>
    public PerSampleBatch Run(Tensor features, Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        _captures.Clear();
        Tensor logits;
        _capturing = true;
        try
        {
            logits = _model.call(features);
        }
        finally
        {
            _capturing = false;
        }

        long batch = features.shape[0];
        Tensor losses = nn.functional.cross_entropy(logits, labels, reduction: nn.Reduction.None);
        Tensor total = losses.sum();

        var seen = new HashSet<GradSampler>(_captures.Select(c => c.Sampler));
        var covered = new HashSet<int>(seen.SelectMany(SlotsOf));
        int[] fallback = [.. Enumerable.Range(0, _parameters.Length).Where(i => !covered.Contains(i))];
        FallbackParameterNames = [.. fallback.Select(i => _parameterNames[i])];
        var entries = new PerSampleBatch.Entry?[_parameters.Length];
        if (fallback.Length > 0)
        {
            Tensor[] perSample = OneSampleAtATime(losses, [.. fallback.Select(i => (Tensor)_parameters[i])], batch);
            for (int k = 0; k < fallback.Length; k++)
            {
                entries[fallback[k]] = PerSampleBatch.Entry.Materialized(perSample[k]);
            }
        }

        if (_captures.Count > 0)
        {
            IList<Tensor> gradients = autograd.grad([total], [.. _captures.Select(c => c.Output)], retain_graph: false, allow_unused: true);
            var byLayer = new Dictionary<GradSampler, List<(Tensor Activations, Tensor Gradient)>>();
            for (int c = 0; c < _captures.Count; c++)
            {
                Tensor? gradient = gradients[c];
                if (gradient is null || gradient.IsInvalid)
                {
                    gradient = zeros_like(_captures[c].Output);
                }

                if (!byLayer.TryGetValue(_captures[c].Sampler, out var list))
                {
                    byLayer[_captures[c].Sampler] = list = [];
                }

                list.Add((_captures[c].Activations, gradient));
            }

            foreach ((GradSampler sampler, var calls) in byLayer)
            {
                AddLayer(sampler, calls, entries);
            }
        }

        return new PerSampleBatch(logits, losses, entries, _parameters, batch);
    }

    /// <summary>Removes the hooks; the model keeps working as before.</summary>
    public void Dispose()
    {
        foreach (Action remove in _hookRemovers)
        {
            remove();
        }

        _hookRemovers.Clear();
        _captures.Clear();
    }

    private void AddLayer(GradSampler sampler, List<(Tensor Activations, Tensor Gradient)> calls, PerSampleBatch.Entry?[] entries)
    {
        int[] slots = SlotsOf(sampler);
        if (calls.Count == 1 && slots.All(s => s >= 0) && sampler.SquaredNorms(calls[0].Activations, calls[0].Gradient) is { } norms)
        {
            // Ghost clipping: the layer's share of each sample's squared norm, and its weighted sum later on demand.
            var ghost = new PerSampleBatch.GhostLayer(sampler, calls[0].Activations, calls[0].Gradient, norms);
            for (int k = 0; k < slots.Length; k++)
            {
                if (slots[k] >= 0)
                {
                    entries[slots[k]] = PerSampleBatch.Entry.Ghost(ghost, k, first: k == 0);
                }
            }

            return;
        }

        Tensor[]? sum = null;
        foreach ((Tensor activations, Tensor gradient) in calls)
        {
            Tensor[] part = sampler.PerSample(activations, gradient);
            sum = sum is null ? part : [.. sum.Zip(part, (a, b) => a.add(b, TorchScalars.One))];
        }

        for (int k = 0; k < slots.Length; k++)
        {
            if (slots[k] >= 0)
            {
                entries[slots[k]] = PerSampleBatch.Entry.Materialized(sum![k]);
            }
        }
    }

    /// <summary>For each of the sampler's parameters, its index in <see cref="Parameters"/> (−1 when it is frozen).</summary>
    private int[] SlotsOf(GradSampler sampler) =>
        [.. sampler.ParameterNames.Select(n => Array.IndexOf(_parameterNames, sampler.Name.Length == 0 ? n : $"{sampler.Name}.{n}"))];

    private static Tensor[] OneSampleAtATime(Tensor losses, Tensor[] parameters, long batch)
    {
        var perSample = new List<Tensor>[parameters.Length];
        for (int k = 0; k < parameters.Length; k++)
        {
            perSample[k] = new List<Tensor>((int)batch);
        }

        for (long n = 0; n < batch; n++)
        {
            IList<Tensor> gradients = autograd.grad([losses[n]], parameters, retain_graph: true, allow_unused: true);
            for (int k = 0; k < parameters.Length; k++)
            {
                Tensor? gradient = gradients[k];
                perSample[k].Add(gradient is null || gradient.IsInvalid ? zeros_like(parameters[k]) : gradient);
            }
        }

        return [.. perSample.Select((list, k) => list.Count > 0 ? stack(list, 0) : zeros([0, .. parameters[k].shape], parameters[k].dtype, parameters[k].device))];
    }

    private sealed record Capture(GradSampler Sampler, Tensor Activations, Tensor Output);
}
