using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.PreAggregation;

/// <summary>Settings of <see cref="AdaptiveClippingPreAggregator"/> (ARC).</summary>
/// <remarks>Allouah et al. 2024, "Boosting Robustness by Clipping Gradients in Distributed Learning" (ARC).</remarks>
public sealed class AdaptiveClippingOptions
{
    /// <summary>The number f of Byzantine clients to tolerate; ARC needs n &gt; 2f.</summary>
    /// <value>0 (nothing is clipped).</value>
    [Range(0, int.MaxValue)]
    public int ByzantineCount { get; set; }
}
