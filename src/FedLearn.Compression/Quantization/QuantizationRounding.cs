namespace FedLearn.Compression;

/// <summary>How a quantizer picks a grid level for a value that falls between two levels.</summary>
public enum QuantizationRounding
{
    /// <summary>The nearest level (halves round up). Deterministic; error at most half a step.</summary>
    Nearest = 0,

    /// <summary>
    /// The level above with probability equal to the fractional position between the two levels, else the level
    /// below, so the decoded value is an unbiased estimate of the input; error below one step. The random numbers are
    /// a counter-based hash of <see cref="CompressionContext.Seed"/> and the value's position, so the same seed gives
    /// the same bytes.
    /// </summary>
    Stochastic = 1,
}
