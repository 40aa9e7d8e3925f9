using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>The ready models of FedLearn.Torch by name, and seeded initialisation for any model.</summary>
public static class TorchModels
{
    /// <summary>The name of <see cref="MlpModel"/>.</summary>
    public const string Mlp = "mlp";

    /// <summary>The name of <see cref="CnnModel"/>.</summary>
    public const string Cnn = "cnn";

    /// <summary>Every name <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = [Mlp, Cnn];

    /// <summary>Creates a ready model by name, with weights drawn deterministically from <paramref name="seed"/>.</summary>
    /// <param name="name"><c>mlp</c> (<see cref="MlpModel"/>) or <c>cnn</c> (<see cref="CnnModel"/>), case-insensitive.</param>
    /// <param name="seed">The initialisation seed; the same name and seed give bit-identical weights.</param>
    /// <returns>A new model on the CPU, which the caller owns and disposes.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a known model.</exception>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static nn.Module<Tensor, Tensor> Create(string name, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            Mlp => new MlpModel(seed),
            Cnn => new CnnModel(seed),
            _ => throw new ArgumentException($"Unknown model '{name}'. Known models: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>
    /// Re-draws the parameters of any model from <paramref name="seed"/> with a private generator: weights of rank 2
    /// or more and their biases from U(−1/√fan_in, 1/√fan_in) (PyTorch's default for Linear and Conv layers), in
    /// <c>named_parameters()</c> order. Rank-1 weights (such as BatchNorm's scale) and buffers are left unchanged.
    /// </summary>
    /// <param name="module">The model to initialise.</param>
    /// <param name="seed">The seed; the same model and seed give bit-identical weights.</param>
    /// <exception cref="TorchUnavailableException">TorchSharp's native library could not be loaded.</exception>
    public static void InitializeParameters(nn.Module module, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(module);
        TorchRuntime.EnsureAvailable();
        SeededInitialization.Apply(module, seed);
    }
}
