using System.Globalization;
using System.Numerics;

namespace FedLearn.Privacy.Accounting;

/// <summary>
/// Accounts a history of Poisson-subsampled Gaussian steps by numerically composing their privacy loss random
/// variables (PRVs): discretise each step's PRV on a grid, convolve by FFT, and read ε at δ off the composed
/// distribution. Tighter than RDP, at the cost of an FFT over up to a few million grid points per query.
/// </summary>
/// <remarks>
/// <para>Gopi, Lee and Wutschitz 2021, "Numerical Composition of Differential Privacy" (NeurIPS). The grid spacing is
/// ε_error/√(K·log(12/δ_error)/2) for K steps, and the grid covers [−L, L] with L from the RDP accountant (the loss
/// exceeds L with probability below δ_error/4 over K steps and δ_error/(8K) in one step) plus 3, as in the
/// paper's Remark 5.6. Each discretised PRV is shifted so that its mean equals the mean of the truncated continuous
/// PRV, which keeps the rounding error of K compositions at the order of √K rather than K.</para>
/// <para>The PRV is that of the pair P = (1 − q)N(0, σ²) + qN(1, σ²), Q = N(0, σ²) (the removal direction), the
/// choice of the paper's code and of Opacus's PRV accountant.</para>
/// <para>Not thread-safe. History handling is that of <see cref="RdpAccountant"/>.</para>
/// </remarks>
public sealed class PrvAccountant
{
    /// <summary>Default tolerance on ε: 0.01.</summary>
    public const double DefaultEpsilonError = 0.01;

    /// <summary>Queries whose grid would exceed this many points (2²³) are refused: loosen ε_error or use RDP.</summary>
    public const int MaxGridPoints = 1 << 23;

    private readonly RdpAccountant _history = new();

    /// <summary>The steps taken so far; consecutive steps with equal (σ, q) form one entry.</summary>
    public IReadOnlyList<PrivacyStep> History => _history.History;

    /// <summary>Records one step.</summary>
    /// <param name="noiseMultiplier">σ &gt; 0.</param>
    /// <param name="sampleRate">q in (0, 1).</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void Step(double noiseMultiplier, double sampleRate) => AddSteps(noiseMultiplier, sampleRate, 1);

    /// <summary>Records <paramref name="steps"/> identical steps.</summary>
    /// <param name="noiseMultiplier">σ &gt; 0.</param>
    /// <param name="sampleRate">q in (0, 1); q = 1 (no sampling) is the plain Gaussian mechanism, whose ε the RDP accountant or a closed form gives.</param>
    /// <param name="steps">≥ 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public void AddSteps(double noiseMultiplier, double sampleRate, long steps)
    {
        if (!(noiseMultiplier > 0) || double.IsInfinity(noiseMultiplier))
        {
            throw new ArgumentOutOfRangeException(nameof(noiseMultiplier), noiseMultiplier, "The PRV accountant needs a positive, finite noise multiplier.");
        }

        if (!(sampleRate > 0 && sampleRate < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The PRV accountant needs a sample rate in (0, 1).");
        }

        _history.AddSteps(noiseMultiplier, sampleRate, steps);
    }

    /// <summary>Forgets every step.</summary>
    public void Reset() => _history.Reset();

    /// <summary>ε at <paramref name="delta"/> with bounds.</summary>
    /// <param name="delta">δ in (0, 1).</param>
    /// <param name="epsilonError">ε_error &gt; 0: the bounds are the estimates at δ ∓ δ_error widened by this.</param>
    /// <param name="deltaError">δ_error in (0, δ); δ/1000 when null.</param>
    /// <returns>All zero when no step was taken.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="InvalidOperationException">The grid would be too large (see <see cref="MaxGridPoints"/>).</exception>
    public PrvEpsilon GetEpsilon(double delta, double epsilonError = DefaultEpsilonError, double? deltaError = null)
    {
        RdpConversion.CheckDelta(delta);
        if (!(epsilonError > 0) || double.IsInfinity(epsilonError))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilonError), epsilonError, "ε_error must be positive and finite.");
        }

        double deltaErr = deltaError ?? delta / 1000;
        if (!(deltaErr > 0 && deltaErr < delta))
        {
            throw new ArgumentOutOfRangeException(nameof(deltaError), deltaErr, "δ_error must be in (0, δ).");
        }

        if (History.Count == 0)
        {
            return new PrvEpsilon(0, 0, 0, delta);
        }

        long totalSteps = _history.StepCount;
        double halfWidth = DomainHalfWidth(epsilonError, deltaErr, totalSteps);
        double mesh = epsilonError / Math.Sqrt(totalSteps * Math.Log(12 / deltaErr) / 2);
        double needed = (2 * halfWidth / mesh) + 2;
        if (needed > MaxGridPoints)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PRV grid would need {needed:E2} points (half-width {halfWidth:F2}, spacing {mesh:E2}), more than {MaxGridPoints}; loosen ε_error or use the RDP accountant."));
        }

        int n = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Ceiling(needed));
        int centre = n / 2;

        // The composed distribution: the product of every step's transform, raised to its number of steps.
        var product = new Complex[n];
        product.AsSpan().Fill(Complex.One);
        var transform = new Complex[n];
        double totalShift = 0;
        foreach (PrivacyStep step in History)
        {
            double shift = Discretise(new SubsampledGaussianPrv(step.NoiseMultiplier, step.SampleRate), mesh, centre, transform);
            Fft.Transform(transform, inverse: false);
            for (int i = 0; i < n; i++)
            {
                product[i] *= Complex.Pow(transform[i], step.Steps);
            }

            totalShift += shift * step.Steps;
        }

        Fft.Transform(product, inverse: true);

        // A sum of K grid values (jₘ − c)·dt sits at circular index Σjₘ, i.e. at (K − 1)·c past where value
        // (j − c)·dt belongs: rotate it back.
        double[] pmf = new double[n];
        long rotation = (totalSteps - 1) % n * centre % n;
        for (int j = 0; j < n; j++)
        {
            pmf[j] = Math.Max(0.0, product[(int)((j + rotation) % n)].Real);
        }

        return ReadEpsilon(pmf, centre, mesh, totalShift, delta, deltaErr, epsilonError);
    }

    private double DomainHalfWidth(double epsilonError, double deltaError, long totalSteps)
    {
        double width = _history.GetEpsilon(deltaError / 4);
        foreach (PrivacyStep step in History)
        {
            var single = new RdpAccountant();
            single.Step(step.NoiseMultiplier, step.SampleRate);
            width = Math.Max(width, single.GetEpsilon(deltaError / (8.0 * totalSteps)));
        }

        return Math.Max(width, epsilonError) + 3;
    }

    // Writes the truncated, mean-corrected pmf of one step at grid points (j − c)·dt + shift and returns the shift.
    private static double Discretise(SubsampledGaussianPrv prv, double mesh, int centre, Complex[] destination)
    {
        int n = destination.Length;
        double low = (-centre - 0.5) * mesh;
        double high = (n - centre - 0.5) * mesh;
        double mass = prv.Survival(low) - prv.Survival(high);
        double discreteMean = 0;
        double previous = prv.Survival(low);
        for (int j = 0; j < n; j++)
        {
            double next = prv.Survival((j - centre + 0.5) * mesh);
            double p = (previous - next) / mass;
            destination[j] = new Complex(p, 0);
            discreteMean += (j - centre) * mesh * p;
            previous = next;
        }

        double shift = prv.TruncatedMean(low, high) - discreteMean;
        if (Math.Abs(shift) >= mesh / 2)
        {
            throw new InvalidOperationException("The discretised PRV's mean is off by more than half a grid step; the grid is too coarse for this mechanism.");
        }

        return shift;
    }

    private static PrvEpsilon ReadEpsilon(double[] pmf, int centre, double mesh, double shift, double delta, double deltaError, double epsilonError)
    {
        int n = pmf.Length;
        // tail[i] = Σ_{j ≥ i} p_j and tailExp[i] = Σ_{j ≥ i} p_j·e^(−t_j); for ε in (t_{i−1}, t_i],
        // δ(ε) = Σ_{t_j ≥ ε} p_j(1 − e^(ε − t_j)) = tail[i] − e^ε·tailExp[i].
        double[] tail = new double[n + 1];
        double[] tailExp = new double[n + 1];
        for (int j = n - 1; j >= 0; j--)
        {
            double t = ((j - centre) * mesh) + shift;
            tail[j] = tail[j + 1] + pmf[j];
            tailExp[j] = tailExp[j + 1] + (pmf[j] * Math.Exp(-t));
        }

        double EpsilonAt(double target)
        {
            for (int i = 1; i < n; i++)
            {
                double t = ((i - centre) * mesh) + shift;
                if (tail[i] - (Math.Exp(t) * tailExp[i]) <= target)
                {
                    // No loss mass above the target at all: every ε ≥ 0 works.
                    return tail[i] <= target ? double.NegativeInfinity : Math.Log((tail[i] - target) / tailExp[i]);
                }
            }

            return double.PositiveInfinity;
        }

        double estimate = EpsilonAt(delta);
        double upper = EpsilonAt(delta - deltaError) + epsilonError;
        double lower = EpsilonAt(delta + deltaError) - epsilonError;
        return new PrvEpsilon(Math.Max(0, lower), Math.Max(0, estimate), Math.Max(0, upper), delta);
    }
}
