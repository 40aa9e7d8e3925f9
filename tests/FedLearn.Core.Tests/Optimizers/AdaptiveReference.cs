
namespace FedLearn.Core.Tests.Optimizers;

/// <summary>
/// A straightforward double-precision transcription of Reddi et al. 2021, Algorithm 2, one coordinate at a time,
/// to check the optimizers against: m ← β1·m + (1−β1)Δ; v per rule; x ← x + η·m/(√v + τ), with m₀ = 0, v₀ = τ².
/// </summary>
internal sealed class AdaptiveReference(string rule, double eta, double beta1, double beta2, double tau)
{
    private double[]? _m;
    private double[]? _v;

    public double[] M => _m!;

    public double[] V => _v!;

    public void Step(double[] x, float[] delta)
    {
        _m ??= new double[x.Length];
        if (_v is null)
        {
            _v = new double[x.Length];
            Array.Fill(_v, tau * tau);
        }

        for (int i = 0; i < x.Length; i++)
        {
            double d = delta[i];
            _m[i] = (beta1 * _m[i]) + ((1 - beta1) * d);
            double d2 = d * d;
            _v[i] = rule switch
            {
                "adagrad" => _v[i] + d2,
                "adam" => (beta2 * _v[i]) + ((1 - beta2) * d2),
                "yogi" => _v[i] - ((1 - beta2) * d2 * Math.Sign(_v[i] - d2)),
                _ => throw new ArgumentOutOfRangeException(nameof(rule)),
            };
            x[i] += eta * _m[i] / (Math.Sqrt(_v[i]) + tau);
        }
    }
}
