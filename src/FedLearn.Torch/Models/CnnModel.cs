using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// A small convolutional network for 28×28 single-channel images (Fashion-MNIST, MNIST), two convolution blocks and
/// two linear layers, returning logits:
/// <c>conv1</c> Conv2d(1→32, 5×5) → ReLU → max-pool 2 → <c>conv2</c> Conv2d(32→64, 5×5) → ReLU → max-pool 2 →
/// flatten (64·4·4 = 1024) → <c>fc1</c> Linear(1024, 384) → ReLU → <c>fc2</c> Linear(384, 10).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ParameterCount"/> = 449,546: conv1 32·1·5·5 + 32 = 832; conv2 64·32·5·5 + 64 = 51,264;
/// fc1 1024·384 + 384 = 393,600; fc2 384·10 + 10 = 3,850.
/// </para>
/// <para>
/// The layout follows the CNN of McMahan et al. 2017 ("Communication-Efficient Learning of Deep Networks from
/// Decentralized Data"), without padding and with a narrower first linear layer, which keeps a round's update small.
/// Takes input of shape [N, 1, 28, 28]. Not thread-safe, like every TorchSharp module.
/// </para>
/// </remarks>
public sealed class CnnModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Input image side in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>Output classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Units of the first linear layer.</summary>
    public const int HiddenUnits = 384;

    /// <summary>Total number of parameters.</summary>
    public const int ParameterCount = 832 + 51_264 + (1024 * HiddenUnits) + HiddenUnits + (HiddenUnits * ClassCount) + ClassCount;

    private readonly Conv2d _conv1;
    private readonly Conv2d _conv2;
    private readonly Linear _fc1;
    private readonly Linear _fc2;

    /// <summary>Creates the model with weights drawn deterministically from <paramref name="seed"/>.</summary>
    /// <param name="seed">The initialisation seed; the same seed gives bit-identical weights.</param>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public CnnModel(ulong seed)
        : base(TorchRuntime.Ready(nameof(CnnModel)))
    {
        _conv1 = nn.Conv2d(1, 32, 5);
        _conv2 = nn.Conv2d(32, 64, 5);
        _fc1 = nn.Linear(64 * 4 * 4, HiddenUnits);
        _fc2 = nn.Linear(HiddenUnits, ClassCount);
        register_module("conv1", _conv1);
        register_module("conv2", _conv2);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
        SeededInitialization.Apply(this, seed);
    }

    /// <summary>Logits of shape [N, 10] for a batch of images.</summary>
    /// <param name="input">Images of shape [N, 1, 28, 28].</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor c1 = _conv1.call(input);
        using Tensor r1 = nn.functional.relu(c1);
        using Tensor p1 = nn.functional.max_pool2d(r1, 2);
        using Tensor c2 = _conv2.call(p1);
        using Tensor r2 = nn.functional.relu(c2);
        using Tensor p2 = nn.functional.max_pool2d(r2, 2);
        using Tensor flat = p2.flatten(1);
        using Tensor h = _fc1.call(flat);
        using Tensor a = nn.functional.relu(h);
        return _fc2.call(a);
    }
}
