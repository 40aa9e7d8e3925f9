using System.Buffers;
using System.Numerics.Tensors;
using FedLearn.Options;

namespace FedLearn.Optimizers;

/// <summary>
/// FedAvg with server momentum: v ← β·v + Δ; x ← x + η·v. Smooths the global trajectory when client deltas
/// disagree from round to round (non-IID data).
/// </summary>
/// <remarks>
/// <para>Hsu et al. 2019, "Measuring the Effects of Non-Identical Data Distribution for Federated Visual
/// Classification"; Reddi et al. 2021 (FedAvgM in the FedOpt framing). The momentum starts at 0 and is exported as
/// <c>"momentum"</c>, sized on the first <see cref="Step"/>.</para>
/// <para>Single precision, element-wise in the order β·v, + Δ, η·v, x + ·: bit-identical for the same inputs.
/// Not thread-safe: one server uses one instance.</para>
/// </remarks>
public sealed class FedAvgMOptimizer : IServerOptimizer
{
    /// <summary>Name of the momentum buffer in exported state.</summary>
    public const string MomentumStateName = "momentum";

    private static readonly string[] StateNames = [MomentumStateName];

    private readonly float _learningRate;
    private readonly float _momentum;
    private float[]? _velocity;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="options">The settings; null uses the defaults in <see cref="ServerOptimizerDefaults"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The settings are invalid; the message lists every error.</exception>
    public FedAvgMOptimizer(FedAvgMOptions? options = null)
    {
        options ??= new FedAvgMOptions();
        OptionsValidation.ThrowIfInvalid(options, nameof(FedAvgMOptions));
        _learningRate = (float)options.ServerLearningRate;
        _momentum = (float)options.Momentum;
    }

    /// <inheritdoc />
    /// <value><c>fedavgm</c>.</value>
    public string Name => "fedavgm";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The lengths differ, the spans overlap, the delta is not finite, or the state was sized for another model.
    /// </exception>
    public void Step(Span<float> weights, ReadOnlySpan<float> delta)
    {
        OptimizerStateChecks.CheckStep(Name, weights, delta);
        _velocity ??= new float[weights.Length];
        OptimizerStateChecks.CheckStateLength(Name, _velocity.Length, weights.Length);
        Span<float> v = _velocity;

        // v ← β·v + Δ
        TensorPrimitives.Multiply(v, _momentum, v);
        TensorPrimitives.Add(v, delta, v);

        // x ← x + η·v
        float[] rented = ArrayPool<float>.Shared.Rent(weights.Length);
        try
        {
            Span<float> step = rented.AsSpan(0, weights.Length);
            TensorPrimitives.Multiply(v, _learningRate, step);
            TensorPrimitives.Add(weights, step, weights);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <inheritdoc />
    /// <remarks>Returns a copy of <c>"momentum"</c>; empty before the first step.</remarks>
    public IReadOnlyDictionary<string, float[]> ExportState() => OptimizerStateChecks.Export(StateNames, [_velocity]);

    /// <inheritdoc />
    /// <remarks>
    /// Expects exactly <c>"momentum"</c>, finite; copies it. An empty dictionary resets the optimizer to its state
    /// before the first step.
    /// </remarks>
    public void ImportState(IReadOnlyDictionary<string, float[]> state) =>
        _velocity = OptimizerStateChecks.Import(Name, state, StateNames, nonNegativeName: null)?[0];
}
