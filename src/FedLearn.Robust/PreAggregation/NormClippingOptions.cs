using System.ComponentModel.DataAnnotations;

namespace FedLearn.Robust.PreAggregation;

/// <summary>Settings of <see cref="NormClippingPreAggregator"/>.</summary>
public sealed class NormClippingOptions
{
    /// <summary>The largest Euclidean norm an update may keep; longer updates are scaled down to it. Required.</summary>
    /// <value>0 (unset; must be set to a positive value).</value>
    [Range(double.Epsilon, double.MaxValue, ErrorMessage = "The clipping norm MaxNorm must be positive and finite.")]
    public double MaxNorm { get; set; }
}
