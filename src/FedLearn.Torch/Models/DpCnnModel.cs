using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// A small convolutional network for 28×28 single-channel images meant for DP-SGD: tanh activations, GroupNorm instead
/// of BatchNorm, and few parameters (the noise DP-SGD adds grows with the parameter count, the signal does not):
/// <c>conv1</c> Conv2d(1→16, 8×8, stride 2, padding 3) → <c>gn1</c> GroupNorm(4 groups) → tanh → max-pool 2 (stride 1) →
/// <c>conv2</c> Conv2d(16→32, 4×4, stride 2) → <c>gn2</c> GroupNorm(4 groups) → tanh → max-pool 2 (stride 1) →
/// flatten (32·4·4 = 512) → <c>fc1</c> Linear(512, 32) → tanh → <c>fc2</c> Linear(32, 10), returning logits.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ParameterCount"/> = 26,106: conv1 16·1·8·8 + 16 = 1,040; gn1 32; conv2 32·16·4·4 + 32 = 8,224; gn2 64;
/// fc1 512·32 + 32 = 16,416; fc2 32·10 + 10 = 330.
/// </para>
/// <para>
/// The convolutional layout is that of Papernot et al. 2021, "Tempered Sigmoid Activations for Deep Learning with
/// Differential Privacy" (tanh in place of ReLU, because clipped noisy gradients keep activations bounded); the
/// GroupNorm layers follow Tramèr and Boneh 2021, "Differentially Private Learning Needs Better Features (or Much
/// More Data)". Every layer is invoked with <c>call</c>, so DP-SGD computes all per-sample gradients in closed form.
/// Not thread-safe, like every TorchSharp module.
/// </para>
/// </remarks>
public sealed class DpCnnModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Output classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Total number of parameters.</summary>
    public const int ParameterCount = 1_040 + 32 + 8_224 + 64 + 16_416 + 330;

    private readonly Conv2d _conv1;
    private readonly GroupNorm _gn1;
    private readonly Conv2d _conv2;
    private readonly GroupNorm _gn2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    /// <summary>Creates the model with weights drawn deterministically from <paramref name="seed"/>.</summary>
    /// <param name="seed">The initialisation seed; the same seed gives bit-identical weights.</param>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public DpCnnModel(ulong seed)
        : base(TorchRuntime.Ready(nameof(DpCnnModel)))
    {
        _conv1 = nn.Conv2d(1, 16, 8, stride: 2, padding: 3);
        _gn1 = nn.GroupNorm(4, 16);
        _conv2 = nn.Conv2d(16, 32, 4, stride: 2);
        _gn2 = nn.GroupNorm(4, 32);
        _fc1 = nn.Linear(32 * 4 * 4, 32);
        _fc2 = nn.Linear(32, ClassCount);
        register_module("conv1", _conv1);
        register_module("gn1", _gn1);
        register_module("conv2", _conv2);
        register_module("gn2", _gn2);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
        SeededInitialization.Apply(this, seed);

        // TorchSharp's GroupNorm leaves its affine parameters uninitialised (whatever the allocator returns, seen as
        // 1e24 or NaN); set PyTorch's defaults, scale 1 and shift 0.
        using IDisposable noGrad = no_grad();
        using Scalar one = 1.0.ToScalar();
        foreach (GroupNorm norm in new[] { _gn1, _gn2 })
        {
            norm.weight!.fill_(one);
            norm.bias!.zero_();
        }
    }

    /// <summary>Logits of shape [N, 10] for a batch of images.</summary>
    /// <param name="input">Images of shape [N, 1, 28, 28].</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor c1 = _conv1.call(input);
        using Tensor n1 = _gn1.call(c1);
        using Tensor t1 = n1.tanh();
        using Tensor p1 = nn.functional.max_pool2d(t1, 2, 1);
        using Tensor c2 = _conv2.call(p1);
        using Tensor n2 = _gn2.call(c2);
        using Tensor t2 = n2.tanh();
        using Tensor p2 = nn.functional.max_pool2d(t2, 2, 1);
        using Tensor flat = p2.flatten(1);
        using Tensor h = _fc1.call(flat);
        using Tensor a = h.tanh();
        return _fc2.call(a);
    }
}
