using System.Globalization;

namespace FedLearn.Privacy.Accounting;

/// <summary>
/// Finds the noise multiplier that meets a target (ε, δ) for a given sample rate and number of steps, by the RDP
/// accountant. Pure and thread-safe.
/// </summary>
public static class NoiseCalibration
{
    /// <summary>The default tolerance on ε: the result's ε lies in [target − 0.01, target].</summary>
    public const double DefaultEpsilonTolerance = 0.01;

    /// <summary>The search gives up beyond this noise multiplier: the budget is then too small to reach.</summary>
    public const double MaxNoiseMultiplier = 1e6;

    private const double InitialUpperBound = 10.0;

    /// <summary>
    /// The noise multiplier σ whose ε after <paramref name="steps"/> steps at <paramref name="sampleRate"/> is at most
    /// <paramref name="targetEpsilon"/> and within <paramref name="epsilonTolerance"/> of it.
    /// </summary>
    /// <param name="targetEpsilon">ε &gt; 0.</param>
    /// <param name="delta">δ in (0, 1).</param>
    /// <param name="sampleRate">q in (0, 1].</param>
    /// <param name="steps">Number of steps; ≥ 1.</param>
    /// <param name="epsilonTolerance">How far below the target the result's ε may be; &gt; 0.</param>
    /// <param name="orders">Orders for the accountant; <see cref="RdpOrders.Default"/> when null.</param>
    /// <returns>σ and the ε it gives (always ≤ the target).</returns>
    /// <remarks>
    /// The bracket starts at [0, 10] and doubles its upper end until ε(upper) ≤ target; then bisection keeps the
    /// upper end (which always meets the target) until target − ε(upper) ≤ tolerance. This is the search Opacus's
    /// <c>get_noise_multiplier</c> runs, so the same inputs give the same σ. ε decreases continuously in σ, so the
    /// result is within the tolerance of the smallest σ that meets the target.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    /// <exception cref="InvalidOperationException">Even σ = 10⁶ does not meet the target (the budget is too small).</exception>
    public static NoiseCalibrationResult ForSteps(
        double targetEpsilon, double delta, double sampleRate, long steps, double epsilonTolerance = DefaultEpsilonTolerance, IReadOnlyList<double>? orders = null)
    {
        if (!(targetEpsilon > 0) || double.IsInfinity(targetEpsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(targetEpsilon), targetEpsilon, "The target ε must be positive and finite.");
        }

        RdpConversion.CheckDelta(delta);
        if (!(sampleRate > 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        if (!(epsilonTolerance > 0) || double.IsInfinity(epsilonTolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilonTolerance), epsilonTolerance, "The ε tolerance must be positive and finite.");
        }

        var accountant = new RdpAccountant(orders ?? RdpOrders.Default);
        double EpsilonFor(double sigma)
        {
            accountant.Reset();
            accountant.AddSteps(sigma, sampleRate, steps);
            return accountant.GetEpsilon(delta);
        }

        double low = 0.0;
        double high = InitialUpperBound;
        double epsilonHigh = double.PositiveInfinity;
        while (epsilonHigh > targetEpsilon)
        {
            high *= 2;
            if (high > MaxNoiseMultiplier)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"No noise multiplier up to {MaxNoiseMultiplier} reaches ε = {targetEpsilon} at δ = {delta} with sample rate {sampleRate} over {steps} steps; the privacy budget is too small."));
            }

            epsilonHigh = EpsilonFor(high);
        }

        // Bisection halves the bracket each time; 200 halvings of [0, 10⁶] reach below double resolution.
        for (int iteration = 0; iteration < 200 && targetEpsilon - epsilonHigh > epsilonTolerance; iteration++)
        {
            double middle = (low + high) / 2;
            double epsilon = EpsilonFor(middle);
            if (epsilon < targetEpsilon)
            {
                high = middle;
                epsilonHigh = epsilon;
            }
            else
            {
                low = middle;
            }
        }

        return new NoiseCalibrationResult(high, epsilonHigh);
    }

    /// <summary>
    /// As <see cref="ForSteps"/>, with the number of steps ⌊<paramref name="epochs"/>/<paramref name="sampleRate"/>⌋
    /// (one epoch is 1/q steps in expectation).
    /// </summary>
    /// <param name="targetEpsilon">ε &gt; 0.</param>
    /// <param name="delta">δ in (0, 1).</param>
    /// <param name="sampleRate">q in (0, 1].</param>
    /// <param name="epochs">Number of epochs; &gt; 0.</param>
    /// <param name="epsilonTolerance">How far below the target the result's ε may be; &gt; 0.</param>
    /// <param name="orders">Orders for the accountant; <see cref="RdpOrders.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range, or the epochs give no step.</exception>
    /// <exception cref="InvalidOperationException">The budget is too small.</exception>
    public static NoiseCalibrationResult ForEpochs(
        double targetEpsilon, double delta, double sampleRate, double epochs, double epsilonTolerance = DefaultEpsilonTolerance, IReadOnlyList<double>? orders = null)
    {
        if (!(epochs > 0) || double.IsInfinity(epochs))
        {
            throw new ArgumentOutOfRangeException(nameof(epochs), epochs, "The number of epochs must be positive and finite.");
        }

        if (!(sampleRate > 0 && sampleRate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, "The sample rate must be in (0, 1].");
        }

        return ForSteps(targetEpsilon, delta, sampleRate, StepsFor(epochs, sampleRate), epsilonTolerance, orders);
    }

    /// <summary>⌊epochs/q⌋, the number of steps of <paramref name="epochs"/> epochs at sample rate <paramref name="sampleRate"/>.</summary>
    /// <param name="epochs">Number of epochs; &gt; 0.</param>
    /// <param name="sampleRate">q in (0, 1].</param>
    public static long StepsFor(double epochs, double sampleRate) => (long)Math.Floor(epochs / sampleRate);
}
