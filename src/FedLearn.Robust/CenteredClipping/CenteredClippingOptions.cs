using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.CenteredClipping;

/// <summary>Settings of <see cref="CenteredClippingAggregator"/>.</summary>
/// <remarks>Karimireddy, He and Jaggi 2021, "Learning from History for Byzantine Robust Optimization".</remarks>
public sealed class CenteredClippingOptions
{
    /// <summary>The clipping radius τ: each update's difference from the centre is clipped to norm τ. Required.</summary>
    /// <value>0 (unset; must be set to a positive value).</value>
    [Range(double.Epsilon, double.MaxValue, ErrorMessage = "The clipping radius Tau must be positive and finite.")]
    public double Tau { get; set; }

    /// <summary>The clipping iterations L per call.</summary>
    /// <value>1, see <see cref="CenteredClippingDefaults.Iterations"/>.</value>
    [Range(1, 1000)]
    public int Iterations { get; set; } = CenteredClippingDefaults.Iterations;
}
