using System.Globalization;
using System.Numerics;
using System.Numerics.Tensors;

namespace FedLearn.Privacy.Mechanisms;

/// <summary>
/// Scales a vector down to an L2 norm of at most C: x ← x·min(1, C/‖x‖). Pure and thread-safe.
/// </summary>
/// <remarks>
/// The guarantee ‖clipped‖ ≤ C holds exactly for the single-precision result, not merely up to rounding: the norm is
/// computed in double precision, and if rounding the scaled values to float leaves the norm a hair above C the scale is
/// shrunk by a few units in the last place until it does not. Differential privacy rests on this bound.
/// </remarks>
public static class L2Clipping
{
    // 1 − 4·2⁻²⁴: the float four steps below 1.
    private const float Shrink = 0.99999976f;

    /// <summary>Clips <paramref name="values"/> in place to L2 norm ≤ <paramref name="maxNorm"/>.</summary>
    /// <param name="values">The vector; finite values. Empty is a vector of norm 0 and is left as is.</param>
    /// <param name="maxNorm">C: positive and finite.</param>
    /// <returns>The norm before clipping (in double precision).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxNorm"/> is not positive and finite.</exception>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the message gives its index.</exception>
    public static double ClipInPlace(Span<float> values, double maxNorm)
    {
        CheckMaxNorm(maxNorm);
        double norm = Norm(values);
        if (norm <= maxNorm)
        {
            return norm;
        }

        TensorPrimitives.Multiply(values, (float)(maxNorm / norm), values);
        // Float rounding of the scale and of each product can leave the norm just above C (by ~1e−7 relative at
        // most); shrink by four float ulps of 1 until the bound holds. This runs at most a handful of times.
        while (Norm(values) > maxNorm)
        {
            TensorPrimitives.Multiply(values, Shrink, values);
        }

        return norm;
    }

    /// <summary>The L2 norm of <paramref name="values"/>, accumulated in double precision.</summary>
    /// <param name="values">The vector; finite values.</param>
    /// <exception cref="ArgumentException">A value is NaN or infinite; the message gives its index.</exception>
    public static double Norm(ReadOnlySpan<float> values)
    {
        // TensorPrimitives.Norm accumulates in single precision, which is not enough to certify ‖x‖ ≤ C exactly, so
        // the squares are summed in double. The sum of squares of finite floats cannot overflow a double, so a
        // non-finite sum means a non-finite input, which is then located for the message.
        double sum = SumOfSquares(values);
        if (!double.IsFinite(sum))
        {
            for (int i = 0; i < values.Length; i++)
            {
                if (!float.IsFinite(values[i]))
                {
                    throw new ArgumentException(
                        $"The vector has a non-finite value ({values[i].ToString(CultureInfo.InvariantCulture)}) at index {i}; it cannot be clipped.",
                        nameof(values));
                }
            }
        }

        return Math.Sqrt(sum);
    }

    // Σ (double)xᵢ², widening each float vector into two double vectors.
    private static double SumOfSquares(ReadOnlySpan<float> values)
    {
        int i = 0;
        double sum = 0;
        if (Vector.IsHardwareAccelerated && values.Length >= Vector<float>.Count)
        {
            Vector<double> accumulator = Vector<double>.Zero;
            int last = values.Length - Vector<float>.Count;
            for (; i <= last; i += Vector<float>.Count)
            {
                Vector.Widen(new Vector<float>(values[i..]), out Vector<double> low, out Vector<double> high);
                accumulator += (low * low) + (high * high);
            }

            sum = Vector.Sum(accumulator);
        }

        for (; i < values.Length; i++)
        {
            double v = values[i];
            sum += v * v;
        }

        return sum;
    }

    internal static void CheckMaxNorm(double maxNorm)
    {
        if (!(maxNorm > 0) || double.IsInfinity(maxNorm))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The clipping norm must be positive and finite.");
        }
    }
}
