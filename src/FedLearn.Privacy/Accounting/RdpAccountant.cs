using System.Globalization;

namespace FedLearn.Privacy.Accounting;

/// <summary>
/// Tracks the privacy spent by a sequence of Poisson-subsampled Gaussian steps, possibly with different noise
/// multipliers and sample rates, and converts it to (ε, δ). Built to be called on every DP-SGD step: <see cref="Step"/>
/// is O(1) (consecutive identical steps share one history entry) and <see cref="GetSpent"/> costs O(history × orders)
/// with the RDP curve of each distinct (σ, q) computed once and cached.
/// </summary>
/// <remarks>
/// <para>RDP composes additively over steps (Mironov 2017); each step's RDP is that of
/// <see cref="SubsampledGaussianRdp"/> (Mironov, Talwar and Zhang 2019) and the conversion is
/// <see cref="RdpConversion.ToEpsilon"/> (Balle et al. 2020, Theorem 21).</para>
/// <para>Not thread-safe: one training loop owns an accountant.</para>
/// </remarks>
public sealed class RdpAccountant
{
    private readonly double[] _orders;
    private readonly List<PrivacyStep> _history = [];
    private readonly Dictionary<(double Sigma, double Q), double[]> _perStepRdp;

    /// <summary>Creates an accountant over <see cref="RdpOrders.Default"/>.</summary>
    public RdpAccountant()
        : this(RdpOrders.Default)
    {
    }

    /// <summary>Creates an accountant over the given orders.</summary>
    /// <param name="orders">At least one order, each &gt; 1 (or +∞).</param>
    /// <exception cref="ArgumentNullException"><paramref name="orders"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="orders"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An order is not &gt; 1.</exception>
    public RdpAccountant(IEnumerable<double> orders)
        : this(orders, [])
    {
    }

    // Accountants over the same orders may share the per-step RDP curves (a ledger of thousands of clients that all
    // use the same σ and q computes each curve once).
    internal RdpAccountant(IEnumerable<double> orders, Dictionary<(double Sigma, double Q), double[]> sharedCurves)
    {
        ArgumentNullException.ThrowIfNull(orders);
        _perStepRdp = sharedCurves;
        _orders = [.. orders];
        if (_orders.Length == 0)
        {
            throw new ArgumentException("An RDP accountant needs at least one order.", nameof(orders));
        }

        foreach (double order in _orders)
        {
            SubsampledGaussianRdp.CheckOrder(order);
        }
    }

    /// <summary>The orders at which RDP is tracked.</summary>
    public IReadOnlyList<double> Orders => _orders;

    /// <summary>The steps taken so far; consecutive steps with equal (σ, q) form one entry.</summary>
    public IReadOnlyList<PrivacyStep> History => _history;

    /// <summary>Total number of steps taken.</summary>
    public long StepCount => _history.Sum(s => s.Steps);

    /// <summary>Records one step with noise multiplier <paramref name="noiseMultiplier"/> and sample rate <paramref name="sampleRate"/>.</summary>
    /// <param name="noiseMultiplier">σ ≥ 0 (0 means no noise and makes ε infinite).</param>
    /// <param name="sampleRate">q in [0, 1].</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void Step(double noiseMultiplier, double sampleRate) => AddSteps(noiseMultiplier, sampleRate, 1);

    /// <summary>Records <paramref name="steps"/> identical steps.</summary>
    /// <param name="noiseMultiplier">σ ≥ 0.</param>
    /// <param name="sampleRate">q in [0, 1].</param>
    /// <param name="steps">Number of steps; ≥ 0 (0 records nothing).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void AddSteps(double noiseMultiplier, double sampleRate, long steps)
    {
        SubsampledGaussianRdp.Check(noiseMultiplier, sampleRate);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        if (steps == 0)
        {
            return;
        }

        if (_history.Count > 0)
        {
            PrivacyStep last = _history[^1];
            if (last.NoiseMultiplier == noiseMultiplier && last.SampleRate == sampleRate)
            {
                _history[^1] = last with { Steps = checked(last.Steps + steps) };
                return;
            }
        }

        _history.Add(new PrivacyStep(noiseMultiplier, sampleRate, steps));
    }

    /// <summary>Forgets every step (for example when a new training run starts with a fresh budget).</summary>
    public void Reset() => _history.Clear();

    /// <summary>The total RDP of the history at each of <see cref="Orders"/>.</summary>
    /// <returns>A new array, one value per order; all zero when no step was taken.</returns>
    public double[] GetRdp()
    {
        double[] total = new double[_orders.Length];
        foreach (PrivacyStep step in _history)
        {
            double[] perStep = PerStep(step.NoiseMultiplier, step.SampleRate);
            for (int k = 0; k < total.Length; k++)
            {
                // steps·RDP rather than summing step by step: one rounding, as the composition theorem states it.
                total[k] += perStep[k] * step.Steps;
            }
        }

        return total;
    }

    /// <summary>The (ε, δ) guarantee of the history at <paramref name="delta"/>, with the optimal order.</summary>
    /// <param name="delta">δ in (0, 1).</param>
    /// <returns>ε = 0 when no step was taken.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1).</exception>
    public PrivacySpent GetSpent(double delta)
    {
        RdpConversion.CheckDelta(delta);
        if (_history.Count == 0)
        {
            return new PrivacySpent(0.0, delta, double.NaN);
        }

        return RdpConversion.ToEpsilon(_orders, GetRdp(), delta);
    }

    /// <summary>ε at <paramref name="delta"/>; shorthand for <c>GetSpent(delta).Epsilon</c>.</summary>
    /// <param name="delta">δ in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="delta"/> is outside (0, 1).</exception>
    public double GetEpsilon(double delta) => GetSpent(delta).Epsilon;

    /// <summary>A readable one-line summary, for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"RdpAccountant({_history.Count} history entries, {StepCount} steps)");

    private double[] PerStep(double sigma, double q)
    {
        if (!_perStepRdp.TryGetValue((sigma, q), out double[]? curve))
        {
            curve = new double[_orders.Length];
            for (int k = 0; k < curve.Length; k++)
            {
                curve[k] = SubsampledGaussianRdp.ComputeUnchecked(sigma, q, _orders[k]);
            }

            _perStepRdp.Add((sigma, q), curve);
        }

        return curve;
    }
}
