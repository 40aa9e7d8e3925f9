using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.GeometricMedian;

/// <summary>Settings of <see cref="GeometricMedianAggregator"/>.</summary>
/// <remarks>Pillutla, Kakade and Harchaoui 2022, "Robust Aggregation for Federated Learning" (RFA).</remarks>
public sealed class GeometricMedianOptions
{
    /// <summary>The most smoothed-Weiszfeld iterations per call.</summary>
    /// <value>100, see <see cref="GeometricMedianDefaults.MaxIterations"/>.</value>
    [Range(1, 100_000)]
    public int MaxIterations { get; set; } = GeometricMedianDefaults.MaxIterations;

    /// <summary>Stop when the objective Σ‖xᵢ − z‖ changes by at most this fraction of itself.</summary>
    /// <value>1e-6, see <see cref="GeometricMedianDefaults.Tolerance"/>.</value>
    [Range(0.0, 1.0)]
    public double Tolerance { get; set; } = GeometricMedianDefaults.Tolerance;

    /// <summary>The smoothing ν: weights are 1/max(ν, ‖xᵢ − z‖), which keeps them finite when z meets an update.</summary>
    /// <value>1e-6, see <see cref="GeometricMedianDefaults.Smoothing"/>.</value>
    /// <remarks>Pillutla et al. 2022, Algorithm 3.</remarks>
    [Range(double.Epsilon, double.MaxValue)]
    public double Smoothing { get; set; } = GeometricMedianDefaults.Smoothing;
}
