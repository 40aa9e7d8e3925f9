using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Per-sample gradients of <see cref="LayerNorm"/>'s elementwise scale and shift: with x̂ the input normalised over the
/// trailing normalized shape, the scale gradient of sample n is Σ g[n]·x̂[n] and the shift gradient Σ g[n], summed over
/// the dimensions between the batch and the normalized shape.
/// </summary>
internal sealed class LayerNormGradSampler : GradSampler
{
    private readonly LayerNorm _norm;

    public LayerNormGradSampler(string name, LayerNorm module)
        : base(name, module, module.weight, module.bias)
    {
        _norm = module;
    }

    public override Tensor[] PerSample(Tensor activations, Tensor outputGradient)
    {
        long batch = activations.shape[0];
        long[] shape = _norm.normalized_shape;
        long[] perSample = [batch, -1, .. shape];
        Tensor normalized = nn.functional.layer_norm(activations, shape, null, null, _norm.eps);
        Tensor g = outputGradient.reshape(perSample);
        var result = new List<Tensor>(2);
        if (_norm.weight is not null)
        {
            result.Add(g.mul(normalized.reshape(perSample)).sum(1));
        }

        if (_norm.bias is not null)
        {
            result.Add(g.sum(1));
        }

        return [.. result];
    }
}
