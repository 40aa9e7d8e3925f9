using System.Buffers;
using System.Numerics.Tensors;

namespace FedLearn.Optimizers;

/// <summary>
/// The arithmetic and state shared by FedAdagrad, FedAdam and FedYogi: first moment m, second moment v, and the step
/// x ← x + η·m/(√v + τ). The public optimizers hold one instance and differ only in <see cref="SecondMomentRule"/>.
/// </summary>
/// <remarks>
/// <para>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2. As in the paper, v starts at τ² (and m at
/// 0); some libraries (Flower among them) start v at 0 instead, which changes the first steps only when τ is not
/// negligible next to |Δ|. No Adam bias correction is applied, as in the paper.</para>
/// <para>All arithmetic is single precision, element by element, in this fixed order:
/// m ← β1·m; m ← m + (1 − β1)·Δ; v per rule; x ← x + η·(m / (√v + τ)). Every operation is correctly rounded and
/// independent per element, so the result does not depend on the SIMD width. Not thread-safe.</para>
/// </remarks>
internal sealed class AdaptiveMoments
{
    /// <summary>Name of the first-moment buffer in exported state.</summary>
    public const string FirstMomentName = "m";

    /// <summary>Name of the second-moment buffer in exported state.</summary>
    public const string SecondMomentName = "v";

    private static readonly string[] StateNames = [FirstMomentName, SecondMomentName];

    private readonly string _optimizer;
    private readonly SecondMomentRule _rule;
    private readonly float _learningRate;
    private readonly float _beta1;
    private readonly float _oneMinusBeta1;
    private readonly float _beta2;
    private readonly float _oneMinusBeta2;
    private readonly float _tau;
    private readonly float _tauSquared;
    private float[]? _m;
    private float[]? _v;

    public AdaptiveMoments(string optimizer, SecondMomentRule rule, double learningRate, double beta1, double beta2, double tau)
    {
        _optimizer = optimizer;
        _rule = rule;
        _learningRate = (float)learningRate;
        _beta1 = (float)beta1;
        _oneMinusBeta1 = (float)(1.0 - beta1);
        _beta2 = (float)beta2;
        _oneMinusBeta2 = (float)(1.0 - beta2);
        _tau = (float)tau;
        _tauSquared = (float)(tau * tau);
    }

    public void Step(Span<float> weights, ReadOnlySpan<float> delta)
    {
        OptimizerStateChecks.CheckStep(_optimizer, weights, delta);
        int n = weights.Length;
        if (_m is null || _v is null)
        {
            _m = new float[n];
            _v = new float[n];
            _v.AsSpan().Fill(_tauSquared);
        }

        OptimizerStateChecks.CheckStateLength(_optimizer, _m.Length, n);
        Span<float> m = _m;
        Span<float> v = _v;
        float[] rented = ArrayPool<float>.Shared.Rent(n);
        try
        {
            Span<float> scratch = rented.AsSpan(0, n);

            // m ← β1·m + (1 − β1)·Δ
            TensorPrimitives.Multiply(m, _beta1, m);
            TensorPrimitives.Multiply(delta, _oneMinusBeta1, scratch);
            TensorPrimitives.Add(m, scratch, m);

            // scratch ← Δ², then the rule's second-moment update.
            TensorPrimitives.Multiply(delta, delta, scratch);
            switch (_rule)
            {
                case SecondMomentRule.Adagrad:
                    TensorPrimitives.Add(v, scratch, v);
                    break;
                case SecondMomentRule.Adam:
                    TensorPrimitives.Multiply(v, _beta2, v);
                    TensorPrimitives.Multiply(scratch, _oneMinusBeta2, scratch);
                    TensorPrimitives.Add(v, scratch, v);
                    break;
                case SecondMomentRule.Yogi:
                    YogiUpdate(v, scratch, _oneMinusBeta2);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown second-moment rule {_rule}.");
            }

            // x ← x + η·m/(√v + τ)
            TensorPrimitives.Sqrt(v, scratch);
            TensorPrimitives.Add(scratch, _tau, scratch);
            TensorPrimitives.Divide(m, scratch, scratch);
            TensorPrimitives.Multiply(scratch, _learningRate, scratch);
            TensorPrimitives.Add(weights, scratch, weights);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    public IReadOnlyDictionary<string, float[]> Export() => OptimizerStateChecks.Export(StateNames, [_m, _v]);

    public void Import(IReadOnlyDictionary<string, float[]> state)
    {
        float[][]? buffers = OptimizerStateChecks.Import(_optimizer, state, StateNames, nonNegativeName: SecondMomentName);
        _m = buffers?[0];
        _v = buffers?[1];
    }

    // v ← v − (1 − β2)·Δ²·sign(v − Δ²), with sign(0) = 0 as in the paper. The sign makes v move towards Δ² by a step
    // that does not depend on |v − Δ²| (Zaheer et al. 2018), so it has no TensorPrimitives equivalent.
    private static void YogiUpdate(Span<float> v, ReadOnlySpan<float> deltaSquared, float oneMinusBeta2)
    {
        for (int i = 0; i < v.Length; i++)
        {
            float d2 = deltaSquared[i];
            v[i] -= oneMinusBeta2 * d2 * MathF.Sign(v[i] - d2);
        }
    }
}
