using System.Security.Cryptography;

namespace FedLearn.Privacy.Mechanisms;

/// <summary>
/// Gaussian noise from the operating system's cryptographically secure generator
/// (<see cref="RandomNumberGenerator"/>), turned into normal samples by the Box–Muller transform. Nobody can predict
/// or replay the noise, so it cannot be subtracted from a released value. Not thread-safe.
/// </summary>
/// <remarks>
/// <para>Box and Muller 1958: for independent uniforms u₁ ∈ (0, 1] and u₂ ∈ [0, 1), √(−2 ln u₁)·cos(2πu₂) and
/// √(−2 ln u₁)·sin(2πu₂) are independent N(0, 1). Each uniform has 53 random bits.</para>
/// <para>Noise is computed in double precision and added to single-precision values. Floating-point implementations of
/// the Gaussian mechanism leak a little through the rounding pattern of their outputs (Mironov 2012 showed this for the
/// Laplace mechanism); this source makes the noise unpredictable, it does not remove that effect.</para>
/// </remarks>
public sealed class SecureGaussianNoise : IGaussianNoiseSource
{
    private const int BufferWords = 256;
    private readonly ulong[] _buffer = new ulong[BufferWords];
    private int _next = BufferWords;
    private double? _spare;

    /// <inheritdoc />
    /// <value><c>secure</c>.</value>
    public string Name => "secure";

    /// <inheritdoc />
    public double NextStandardNormal()
    {
        if (_spare is double spare)
        {
            _spare = null;
            return spare;
        }

        // u₁ in (0, 1] so that the logarithm is finite; u₂ in [0, 1).
        double u1 = ((NextWord() >> 11) + 1) * (1.0 / (1UL << 53));
        double u2 = (NextWord() >> 11) * (1.0 / (1UL << 53));
        double radius = Math.Sqrt(-2.0 * Math.Log(u1));
        (double sin, double cos) = Math.SinCos(2.0 * Math.PI * u2);
        _spare = radius * sin;
        return radius * cos;
    }

    /// <inheritdoc />
    public void AddNoise(Span<float> values, double standardDeviation)
    {
        NoiseChecks.CheckStandardDeviation(standardDeviation);
        if (standardDeviation == 0)
        {
            return;
        }

        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (float)(values[i] + (standardDeviation * NextStandardNormal()));
        }
    }

    private ulong NextWord()
    {
        if (_next == BufferWords)
        {
            RandomNumberGenerator.Fill(System.Runtime.InteropServices.MemoryMarshal.AsBytes(_buffer.AsSpan()));
            _next = 0;
        }

        return _buffer[_next++];
    }
}
