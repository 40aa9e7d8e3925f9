using TorchSharp;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// Re-initialises a module's parameters from a seed with a private generator, so the same seed gives bit-identical
/// weights on every run and in every thread, whatever else uses TorchSharp's global generator meanwhile.
/// </summary>
internal static class SeededInitialization
{
    /// <summary>
    /// Draws every weight of rank 2 or more from U(−1/√fan_in, 1/√fan_in) (PyTorch's default for Linear and Conv,
    /// kaiming_uniform with a = √5) and every bias from the same range as its layer's weight, in
    /// <c>named_parameters()</c> order. Rank-1 weights (normalisation scales) and buffers are left as constructed.
    /// </summary>
    public static void Apply(nn.Module module, ulong seed)
    {
        var parameters = module.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter, StringComparer.Ordinal);
        using var generator = new Generator(seed, CPU);
        using IDisposable noGrad = no_grad();
        foreach ((string name, Tensor parameter) in parameters)
        {
            double? bound = null;
            if (name.EndsWith("weight", StringComparison.Ordinal) && parameter.dim() >= 2)
            {
                bound = Bound(parameter);
            }
            else if (name.EndsWith("bias", StringComparison.Ordinal)
                && parameters.TryGetValue(string.Concat(name.AsSpan(0, name.Length - "bias".Length), "weight"), out Tensor? weight)
                && weight.dim() >= 2)
            {
                bound = Bound(weight);
            }

            if (bound is double b)
            {
                // Tensor.uniform_ honours the generator it is given; draw on the CPU and copy when the model is elsewhere.
                // In-place operations return the tensor itself, so their results are not disposed here.
                if (parameter.device_type == DeviceType.CPU)
                {
                    parameter.uniform_(-b, b, generator);
                }
                else
                {
                    using Tensor draw = empty(parameter.shape, parameter.dtype, CPU);
                    draw.uniform_(-b, b, generator);
                    parameter.copy_(draw);
                }
            }
        }
    }

    private static double Bound(Tensor weight)
    {
        long fanIn = 1;
        foreach (long dimension in weight.shape.AsSpan(1))
        {
            fanIn *= dimension;
        }

        return fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0.0;
    }
}
