namespace FedLearn.Robust.GeometricMedian;

/// <summary>Defaults of <see cref="GeometricMedianOptions"/>.</summary>
public static class GeometricMedianDefaults
{
    /// <summary>Default iteration cap: 100.</summary>
    public const int MaxIterations = 100;

    /// <summary>Default relative change of the objective that stops the iteration: 1e-6.</summary>
    public const double Tolerance = 1e-6;

    /// <summary>Default smoothing ν (distances are floored at ν): 1e-6, as in RFA.</summary>
    public const double Smoothing = 1e-6;
}
