using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.PreAggregation;

/// <summary>Settings of <see cref="NearestNeighborMixingPreAggregator"/> (NNM).</summary>
/// <remarks>Allouah et al. 2023, "Fixing by Mixing: A Recipe for Optimal Byzantine ML under Heterogeneity".</remarks>
public sealed class NearestNeighborMixingOptions
{
    /// <summary>The number f of Byzantine clients to tolerate: each update is mixed with its n − f nearest; needs n &gt; 2f.</summary>
    /// <value>0 (every update becomes the mean of all).</value>
    [Range(0, int.MaxValue)]
    public int ByzantineCount { get; set; }
}
