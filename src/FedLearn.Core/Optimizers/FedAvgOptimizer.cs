using System.Buffers;
using System.Numerics.Tensors;
using FedLearn.Options;

namespace FedLearn.Optimizers;

/// <summary>
/// FedAvg on the server: x ← x + η·Δ. With η = 1 (the default) the new global model is exactly the aggregate of the
/// clients' models; other η give server SGD in the FedOpt framing. Stateless.
/// </summary>
/// <remarks>
/// McMahan et al. 2017, "Communication-Efficient Learning of Deep Networks from Decentralized Data"; Reddi et al.
/// 2021, "Adaptive Federated Optimization" (server learning rate). Single precision, element-wise: bit-identical
/// for the same inputs. Safe to share between threads only when each thread steps its own weights.
/// </remarks>
public sealed class FedAvgOptimizer : IServerOptimizer
{
    private readonly float _learningRate;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="options">The settings; null uses the defaults in <see cref="ServerOptimizerDefaults"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The settings are invalid; the message lists every error.</exception>
    public FedAvgOptimizer(FedAvgOptions? options = null)
    {
        options ??= new FedAvgOptions();
        OptionsValidation.ThrowIfInvalid(options, nameof(FedAvgOptions));
        _learningRate = (float)options.ServerLearningRate;
    }

    /// <inheritdoc />
    /// <value><c>fedavg</c>.</value>
    public string Name => "fedavg";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The lengths differ, the spans overlap, or the delta is not finite.</exception>
    public void Step(Span<float> weights, ReadOnlySpan<float> delta)
    {
        OptimizerStateChecks.CheckStep(Name, weights, delta);
        if (_learningRate == 1f)
        {
            // Plain FedAvg: skip the multiplication so x + Δ is exactly what the aggregate says.
            TensorPrimitives.Add(weights, delta, weights);
            return;
        }

        float[] rented = ArrayPool<float>.Shared.Rent(weights.Length);
        try
        {
            Span<float> step = rented.AsSpan(0, weights.Length);
            TensorPrimitives.Multiply(delta, _learningRate, step);
            TensorPrimitives.Add(weights, step, weights);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    /// <remarks>Always empty: FedAvg keeps no state.</remarks>
    public IReadOnlyDictionary<string, float[]> ExportState() => new Dictionary<string, float[]>(StringComparer.Ordinal);

    /// <inheritdoc />
    /// <remarks>Accepts only an empty dictionary.</remarks>
    public void ImportState(IReadOnlyDictionary<string, float[]> state) => OptimizerStateChecks.Import(Name, state, [], nonNegativeName: null);
}
