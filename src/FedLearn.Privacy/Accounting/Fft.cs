using System.Numerics;

namespace FedLearn.Privacy.Accounting;

/// <summary>In-place iterative radix-2 complex FFT (Cooley–Tukey). Pure and thread-safe.</summary>
internal static class Fft
{
    /// <summary>Transforms <paramref name="data"/> in place; its length must be a power of two.</summary>
    /// <param name="data">The sequence.</param>
    /// <param name="inverse">Inverse transform (with the 1/N factor) when true.</param>
    public static void Transform(Span<Complex> data, bool inverse)
    {
        int n = data.Length;
        if (n == 0 || !BitOperations.IsPow2(n))
        {
            throw new ArgumentException($"The FFT length must be a power of two but is {n}.", nameof(data));
        }

        // Bit-reversal permutation.
        for (int i = 1, j = 0; i < n; i++)
        {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1)
            {
                j ^= bit;
            }

            j ^= bit;
            if (i < j)
            {
                (data[i], data[j]) = (data[j], data[i]);
            }
        }

        // Twiddles computed directly (not by repeated multiplication) so that their error does not grow with N.
        double sign = inverse ? 1.0 : -1.0;
        var twiddles = new Complex[n / 2];
        for (int k = 0; k < twiddles.Length; k++)
        {
            (double sin, double cos) = Math.SinCos(sign * 2.0 * Math.PI * k / n);
            twiddles[k] = new Complex(cos, sin);
        }

        for (int length = 2; length <= n; length <<= 1)
        {
            int half = length >> 1;
            int stride = n / length;
            for (int start = 0; start < n; start += length)
            {
                for (int k = 0; k < half; k++)
                {
                    Complex even = data[start + k];
                    Complex odd = data[start + k + half] * twiddles[k * stride];
                    data[start + k] = even + odd;
                    data[start + k + half] = even - odd;
                }
            }
        }

        if (inverse)
        {
            double scale = 1.0 / n;
            for (int i = 0; i < n; i++)
            {
                data[i] *= scale;
            }
        }
    }
}
