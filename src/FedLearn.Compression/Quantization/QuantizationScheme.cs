namespace FedLearn.Compression;

/// <summary>How a quantizer maps each chunk of values onto its integer grid.</summary>
public enum QuantizationScheme
{
    /// <summary>
    /// A uniform grid of 2^b levels from the chunk's minimum to its maximum (both sent as float32). Step
    /// Δ = (max − min) / (2^b − 1). 1 to 32 bits.
    /// </summary>
    MinMax = 0,

    /// <summary>
    /// Sign plus a magnitude level on a uniform grid of s = 2^(b−1) − 1 steps from 0 to the chunk's L2 norm (sent as
    /// float64); with stochastic rounding this is QSGD (Alistarh et al. 2017, "QSGD: Communication-efficient SGD via
    /// gradient quantization and encoding"). 2 to 32 bits.
    /// </summary>
    Norm = 1,

    /// <summary>
    /// One bit per value: the sign, scaled by the chunk's mean magnitude ‖x‖₁/d (sent as float32), as in EF-signSGD
    /// (Karimireddy et al. 2019, "Error feedback fixes SignSGD and other gradient compression schemes"). Exactly 1 bit.
    /// </summary>
    ScaledSign = 2,
}
