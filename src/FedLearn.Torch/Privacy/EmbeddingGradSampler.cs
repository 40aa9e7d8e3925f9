using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Per-sample gradients of <see cref="Embedding"/>: the weight gradient of sample n adds the output gradient of each of
/// its positions to the row of the index looked up there (a one-hot product, [B, T, V]ᵀ·[B, T, D]).
/// </summary>
/// <remarks>
/// TorchSharp's module does not expose <c>padding_idx</c>; a padding row gets the per-sample gradient an ordinary row
/// would (the layer's own backward gives it zero). Clipping bounds it like every other gradient, so privacy is
/// unaffected; only that row's update differs.
/// </remarks>
internal sealed class EmbeddingGradSampler : GradSampler
{
    private readonly long _rows;

    public EmbeddingGradSampler(string name, Embedding module)
        : base(name, module, module.weight, null)
    {
        _rows = module.weight!.shape[0];
    }

    public override Tensor[] PerSample(Tensor activations, Tensor outputGradient)
    {
        long batch = activations.shape[0];
        Tensor oneHot = nn.functional.one_hot(activations.reshape(batch, -1).to(ScalarType.Int64), _rows).to(outputGradient.dtype);
        Tensor g = outputGradient.reshape(batch, -1, outputGradient.shape[^1]);
        return [einsum("ntv,ntd->nvd", oneHot, g)];
    }
}
