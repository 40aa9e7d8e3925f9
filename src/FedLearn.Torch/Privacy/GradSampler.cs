using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Privacy;

/// <summary>
/// Computes the per-sample gradients of one layer's parameters from what the layer saw in the forward pass (its input,
/// the activations) and the gradient of the summed loss with respect to its output. Because the loss is a sum of
/// independent per-sample losses, row n of that output gradient is the gradient of sample n's own loss, so the
/// per-sample parameter gradients follow in closed form without a backward pass per sample.
/// </summary>
/// <remarks>
/// Every tensor a method returns is new and lives in the caller's dispose scope. <see cref="Parameters"/> lists the
/// layer's parameters in the order the methods return their gradients (a missing bias is not listed).
/// </remarks>
internal abstract class GradSampler
{
    protected GradSampler(string name, nn.Module module, Parameter? weight, Parameter? bias)
    {
        Name = name;
        Module = module;
        Parameters = [.. new[] { weight, bias }.Where(p => p is not null).Select(p => p!)];

        // Matched to the model's parameters by registered name: a property getter may return a new wrapper of the tensor.
        ParameterNames = [.. new[] { (weight, "weight"), (bias, "bias") }.Where(p => p.Item1 is not null).Select(p => p.Item2)];
    }

    /// <summary>The layer's name in the model (<c>named_modules()</c>).</summary>
    public string Name { get; }

    /// <summary>The layer.</summary>
    public nn.Module Module { get; }

    /// <summary>The layer's parameters, in the order of the tensors returned below.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>The names the layer registered <see cref="Parameters"/> under (<c>weight</c>, <c>bias</c>).</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Per-sample gradients, one tensor of shape [B, parameter shape…] per entry of <see cref="Parameters"/>.</summary>
    /// <param name="activations">The layer's input for the batch.</param>
    /// <param name="outputGradient">∂(Σₙ lossₙ)/∂output, same shape as the layer's output.</param>
    public abstract Tensor[] PerSample(Tensor activations, Tensor outputGradient);

    /// <summary>
    /// The squared norm of each sample's gradient over all of <see cref="Parameters"/>, shape [B], computed without
    /// materialising the per-sample gradients; null when this layer has no cheaper way than <see cref="PerSample"/>.
    /// </summary>
    public virtual Tensor? SquaredNorms(Tensor activations, Tensor outputGradient) => null;

    /// <summary>
    /// Σₙ wₙ·gₙ for each parameter (shape of the parameter), without materialising the per-sample gradients gₙ.
    /// Only called when <see cref="SquaredNorms"/> returned a value.
    /// </summary>
    public virtual Tensor[] WeightedSum(Tensor activations, Tensor outputGradient, Tensor weights) =>
        throw new NotSupportedException($"{GetType().Name} has no weighted sum without per-sample gradients.");
}
