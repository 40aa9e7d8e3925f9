using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Per-sample gradients of <see cref="GroupNorm"/>'s affine scale and shift: with x̂ the input normalised per sample and
/// group (what the layer computes before scaling), the scale gradient of sample n is Σ_spatial g[n]·x̂[n] per channel
/// and the shift gradient Σ_spatial g[n]. GroupNorm normalises each sample on its own, so it is DP-SGD compatible.
/// </summary>
internal sealed class GroupNormGradSampler : GradSampler
{
    private readonly GroupNorm _norm;

    public GroupNormGradSampler(string name, GroupNorm module)
        : base(name, module, module.weight, module.bias)
    {
        _norm = module;
    }

    public override Tensor[] PerSample(Tensor activations, Tensor outputGradient)
    {
        long batch = activations.shape[0];
        long channels = activations.shape[1];
        Tensor normalized = nn.functional.group_norm(activations, _norm.num_groups, null, null, _norm.eps);
        Tensor g = outputGradient.reshape(batch, channels, -1);
        var result = new List<Tensor>(2);
        if (_norm.weight is not null)
        {
            result.Add(g.mul(normalized.reshape(batch, channels, -1)).sum(2));
        }

        if (_norm.bias is not null)
        {
            result.Add(g.sum(2));
        }

        return [.. result];
    }
}
