using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// A multilayer perceptron for 28×28 single-channel images (Fashion-MNIST, MNIST):
/// flatten → <c>fc1</c> Linear(784, 256) → ReLU → <c>fc2</c> Linear(256, 10), returning logits.
/// </summary>
/// <remarks>
/// <see cref="ParameterCount"/> = 203,530: fc1 784·256 + 256 = 200,960; fc2 256·10 + 10 = 2,570.
/// Takes input of shape [N, 1, 28, 28] or [N, 784]. Weights are named <c>fc1.weight</c>, <c>fc1.bias</c>,
/// <c>fc2.weight</c>, <c>fc2.bias</c>. Not thread-safe, like every TorchSharp module.
/// </remarks>
public sealed class MlpModel : nn.Module<Tensor, Tensor>
{
    /// <summary>Input values per image (28 × 28).</summary>
    public const int InputFeatures = 28 * 28;

    /// <summary>Units of the hidden layer.</summary>
    public const int HiddenUnits = 256;

    /// <summary>Output classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Total number of parameters.</summary>
    public const int ParameterCount = (InputFeatures * HiddenUnits) + HiddenUnits + (HiddenUnits * ClassCount) + ClassCount;

    private readonly Linear _fc1;
    private readonly Linear _fc2;

    /// <summary>Creates the model with weights drawn deterministically from <paramref name="seed"/>.</summary>
    /// <param name="seed">The initialisation seed; the same seed gives bit-identical weights.</param>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public MlpModel(ulong seed)
        : base(TorchRuntime.Ready(nameof(MlpModel)))
    {
        _fc1 = nn.Linear(InputFeatures, HiddenUnits);
        _fc2 = nn.Linear(HiddenUnits, ClassCount);
        register_module("fc1", _fc1);
        register_module("fc2", _fc2);
        SeededInitialization.Apply(this, seed);
    }

    /// <summary>Logits of shape [N, 10] for a batch of images.</summary>
    /// <param name="input">Images of shape [N, 1, 28, 28] or [N, 784].</param>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using Tensor flat = input.flatten(1);
        using Tensor hidden = _fc1.call(flat);
        using Tensor activated = nn.functional.relu(hidden);
        return _fc2.call(activated);
    }
}
