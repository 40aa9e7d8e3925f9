using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.Krum;

/// <summary>Settings of <see cref="KrumAggregator"/>.</summary>
/// <remarks>Blanchard et al. 2017, "Machine Learning with Adversaries: Byzantine Tolerant Gradient Descent".</remarks>
public sealed class KrumOptions
{
    /// <summary>The number f of Byzantine clients to tolerate; Krum needs n &gt; 2f + 2 updates.</summary>
    /// <value>0.</value>
    [Range(0, int.MaxValue)]
    public int ByzantineCount { get; set; }

    /// <summary>
    /// How many lowest-score updates are averaged: 1 is Krum, more is Multi-Krum; null means n − f for each call.
    /// </summary>
    /// <value>Null (n − f, as in Blanchard et al. 2017).</value>
    [Range(1, int.MaxValue)]
    public int? SelectionCount { get; set; }
}
