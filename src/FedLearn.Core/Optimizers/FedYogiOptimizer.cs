using FedLearn.Options;

namespace FedLearn.Optimizers;

/// <summary>
/// FedYogi: the server applies Yogi to the aggregated client delta; v grows or shrinks towards Δ² by a bounded step, which is steadier than Adam when deltas are sparse or noisy.
/// </summary>
/// <remarks>
/// <para>Reddi et al. 2021, "Adaptive Federated Optimization" (ICLR), Algorithm 2: m ← β1·m + (1 − β1)·Δ;
/// v ← v − (1 − β2)·Δ²·sign(v − Δ²); x ← x + η·m/(√v + τ).</para>
/// <para>Initialisation follows the paper: m₀ = 0 and v₀ = τ². Some libraries (Flower among them) start v at 0 instead;
/// the two agree once Δ² dominates τ². No Adam-style bias correction is applied. State (exported as
/// <c>"m"</c> and <c>"v"</c>, each as long as the model) is sized on the first <see cref="Step"/>.</para>
/// <para>Arithmetic is single precision and element-wise in a fixed order, so the same inputs give bit-identical
/// weights. Not thread-safe: one server uses one instance.</para>
/// </remarks>
public sealed class FedYogiOptimizer : IServerOptimizer
{
    /// <summary>Name of the first-moment buffer m in exported state.</summary>
    public const string FirstMomentStateName = AdaptiveMoments.FirstMomentName;

    /// <summary>Name of the second-moment buffer v in exported state.</summary>
    public const string SecondMomentStateName = AdaptiveMoments.SecondMomentName;

    private readonly AdaptiveMoments _moments;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="options">The settings; null uses the defaults in <see cref="ServerOptimizerDefaults"/>.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The settings are invalid; the message lists every error.</exception>
    public FedYogiOptimizer(FedYogiOptions? options = null)
    {
        options ??= new FedYogiOptions();
        OptionsValidation.ThrowIfInvalid(options, nameof(FedYogiOptions));
        _moments = new AdaptiveMoments("fedyogi", SecondMomentRule.Yogi, options.ServerLearningRate, options.Beta1, options.Beta2, options.Tau);
    }

    /// <inheritdoc />
    /// <value><c>fedyogi</c>.</value>
    public string Name => "fedyogi";

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// The lengths differ, the spans overlap, the delta is not finite, or the state was sized for another model.
    /// </exception>
    public void Step(Span<float> weights, ReadOnlySpan<float> delta) => _moments.Step(weights, delta);

    /// <inheritdoc />
    /// <remarks>Returns copies of <c>"m"</c> and <c>"v"</c>; empty before the first step.</remarks>
    public IReadOnlyDictionary<string, float[]> ExportState() => _moments.Export();

    /// <inheritdoc />
    /// <remarks>
    /// Expects exactly <c>"m"</c> and <c>"v"</c> of equal length, finite, with v ≥ 0; copies them. An empty
    /// dictionary resets the optimizer to its state before the first step.
    /// </remarks>
    public void ImportState(IReadOnlyDictionary<string, float[]> state) => _moments.Import(state);
}
