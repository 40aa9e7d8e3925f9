using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Per-sample gradients of <see cref="Conv2d"/>: the input is unfolded into its sliding patches U [B, C_in·k_h·k_w, L]
/// (the same patches the convolution multiplies), the output gradient is viewed as G [B, C_out, L], and the weight
/// gradient of sample n is G[n]·U[n]ᵀ (per group), the bias gradient Σ_L G[n].
/// </summary>
/// <remarks>Supports zero padding given as numbers, any stride, dilation and groups.</remarks>
internal sealed class Conv2dGradSampler : GradSampler
{
    private readonly Conv2d _conv;
    private readonly bool _hasBias;

    private Conv2dGradSampler(string name, Conv2d module)
        : base(name, module, module.weight, module.bias)
    {
        _conv = module;
        _hasBias = module.bias is not null;
    }

    /// <summary>A sampler for <paramref name="module"/>, or null when its padding is not plain zero padding given as numbers.</summary>
    public static Conv2dGradSampler? TryCreate(string name, Conv2d module) =>
        module.padding_mode == PaddingModes.Zeros && module.padding_type is null && module.padding is { Length: 2 }
            ? new Conv2dGradSampler(name, module)
            : null;

    public override Tensor[] PerSample(Tensor activations, Tensor outputGradient)
    {
        long batch = activations.shape[0];
        long groups = _conv.groups;
        long[] kernel = _conv.kernel_size;
        long[] dilation = _conv.dilation;
        long[] padding = _conv.padding!;
        long[] stride = _conv.stride;
        Tensor patches = nn.functional.unfold(
            activations,
            (kernel[0], kernel[1]),
            (dilation[0], dilation[1]),
            (padding[0], padding[1]),
            (stride[0], stride[1]));
        Tensor u = patches.reshape(batch, groups, -1, patches.shape[2]);
        Tensor g = outputGradient.reshape(batch, groups, -1, u.shape[3]);
        Tensor weight = einsum("ngol,ngpl->ngop", g, u).reshape([batch, .. _conv.weight!.shape]);
        return _hasBias ? [weight, outputGradient.flatten(2).sum(2)] : [weight];
    }
}
