namespace FedLearn.Robust.Screening;

/// <summary>What <see cref="UpdateScreener"/> takes as the typical norm of an update when it looks for too long or too short ones.</summary>
public enum NormModel
{
    /// <summary>
    /// One typical norm for every client: the modified z-score of the norm against the median and MAD of the round's norms.
    /// </summary>
    Pooled = 0,

    /// <summary>
    /// A typical norm that grows with the example count the client reports (its <see cref="WeightedUpdate.Weight"/>):
    /// ln‖Δ‖ = a + b·ln n is fitted across the round's updates by Siegel's repeated median (b kept in [0, 1]), and the
    /// modified z-score of each norm's ratio to e^a·n^b replaces that of the raw norm. An honest client with more data
    /// takes more local steps and moves further, so a boosted update of a small client stands out against clients of
    /// its own size.
    /// </summary>
    ExampleCount = 1,
}
