using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Per-sample gradients of <see cref="Linear"/>: for input a [B, …, in] and output gradient g [B, …, out], the weight
/// gradient of sample n is Σₜ g[n,t]·a[n,t]ᵀ and the bias gradient Σₜ g[n,t] (t over the middle dimensions, if any).
/// </summary>
/// <remarks>
/// The squared norm of Σₜ g[n,t]a[n,t]ᵀ is Σₜ,ₛ (a[n,t]·a[n,s])(g[n,t]·g[n,s]), which needs only T×T Gram matrices (for
/// a plain [B, in] input: ‖gₙ‖²‖aₙ‖²), and the clipped sum Σₙ wₙgₙaₙᵀ is one matrix product; so large layers are
/// clipped without ever holding B copies of their weight.
/// </remarks>
internal sealed class LinearGradSampler : GradSampler
{
    private readonly bool _hasBias;

    public LinearGradSampler(string name, Linear module)
        : base(name, module, module.weight, module.bias)
    {
        _hasBias = module.bias is not null;
    }

    public override Tensor[] PerSample(Tensor activations, Tensor outputGradient)
    {
        (Tensor a, Tensor g) = Flatten(activations, outputGradient);
        Tensor weight = einsum("nto,nti->noi", g, a);
        return _hasBias ? [weight, g.sum(1)] : [weight];
    }

    public override Tensor? SquaredNorms(Tensor activations, Tensor outputGradient)
    {
        (Tensor a, Tensor g) = Flatten(activations, outputGradient);
        long t = a.shape[1];
        long perSample = a.shape[2] * g.shape[2];
        if (t * t > perSample)
        {
            return null;
        }

        Tensor norms = t == 1
            ? a.square().sum([1, 2]).mul(g.square().sum([1, 2]))
            : bmm(a, a.transpose(1, 2)).mul(bmm(g, g.transpose(1, 2))).sum([1, 2]);
        return _hasBias ? norms.add(g.sum(1).square().sum(1), TorchScalars.One) : norms;
    }

    public override Tensor[] WeightedSum(Tensor activations, Tensor outputGradient, Tensor weights)
    {
        (Tensor a, Tensor g) = Flatten(activations, outputGradient);
        Tensor scaled = g.mul(weights.view(-1, 1, 1));
        Tensor weight = scaled.reshape(-1, scaled.shape[2]).t().matmul(a.reshape(-1, a.shape[2]));
        return _hasBias ? [weight, scaled.sum([0, 1])] : [weight];
    }

    /// <summary>Both tensors as [B, T, features] (T = 1 for a plain [B, features] input).</summary>
    private static (Tensor A, Tensor G) Flatten(Tensor activations, Tensor outputGradient)
    {
        long batch = activations.shape[0];
        return (activations.reshape(batch, -1, activations.shape[^1]), outputGradient.reshape(batch, -1, outputGradient.shape[^1]));
    }
}
