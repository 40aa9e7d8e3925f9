using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FedLearn.Compression.Quantization;

/// <content>
/// The <c>Vector256</c> bodies of the quantization loops. Each processes whole blocks of eight values and returns
/// where it stopped (0 without hardware acceleration); the scalar loop in Quantizer.cs finishes the tail. Eight
/// floats widen to two vectors of four doubles, so the grid arithmetic is the scalar double arithmetic lane by lane.
/// </content>
internal static partial class Quantizer
{
    private const int Block = 8;

    private static int MinMaxNearestVector(ReadOnlySpan<float> x, double min, double inverse, double levels, Span<uint> codes)
    {
        if (!Vector256.IsHardwareAccelerated || x.Length < Block)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        ref uint target = ref MemoryMarshal.GetReference(codes);
        Vector256<double> vMin = Vector256.Create(min), vInverse = Vector256.Create(inverse), vLevels = Vector256.Create(levels), half = Vector256.Create(0.5);
        int i = 0;
        for (; i <= x.Length - Block; i += Block)
        {
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
            lower = Vector256.Min(Vector256.Floor(((lower - vMin) * vInverse) + half), vLevels);
            upper = Vector256.Min(Vector256.Floor(((upper - vMin) * vInverse) + half), vLevels);
            Vector256.Narrow(Vector256.ConvertToUInt64(lower), Vector256.ConvertToUInt64(upper)).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int MinMaxStochasticVector(ReadOnlySpan<float> x, double min, double inverse, double levels, ulong streamSeed, long offset, Span<uint> codes)
    {
        if (!Vector256.IsHardwareAccelerated || x.Length < Block)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        ref uint target = ref MemoryMarshal.GetReference(codes);
        Vector256<double> vMin = Vector256.Create(min), vInverse = Vector256.Create(inverse), vLevels = Vector256.Create(levels);
        int i = 0;
        for (; i <= x.Length - Block; i += Block)
        {
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
            (Vector256<double> noiseLower, Vector256<double> noiseUpper) = Noise(streamSeed, offset + i);
            lower = Vector256.Max(Vector256.Min(Vector256.Floor(((lower - vMin) * vInverse) + noiseLower), vLevels), Vector256<double>.Zero);
            upper = Vector256.Max(Vector256.Min(Vector256.Floor(((upper - vMin) * vInverse) + noiseUpper), vLevels), Vector256<double>.Zero);
            Vector256.Narrow(Vector256.ConvertToUInt64(lower), Vector256.ConvertToUInt64(upper)).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int NormVector(ReadOnlySpan<float> x, double inverse, double steps, uint signBit, bool stochastic, ulong streamSeed, long offset, Span<uint> codes)
    {
        if (!Vector256.IsHardwareAccelerated || x.Length < Block)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        ref uint target = ref MemoryMarshal.GetReference(codes);
        Vector256<double> vInverse = Vector256.Create(inverse), vSteps = Vector256.Create(steps);
        Vector256<double> noiseLower = Vector256.Create(0.5), noiseUpper = noiseLower;
        Vector256<uint> vSign = Vector256.Create(signBit);
        int i = 0;
        for (; i <= x.Length - Block; i += Block)
        {
            Vector256<float> block = Vector256.LoadUnsafe(ref source, (nuint)i);
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.Abs(block));
            if (stochastic)
            {
                (noiseLower, noiseUpper) = Noise(streamSeed, offset + i);
            }

            lower = Vector256.Min(Vector256.Floor((lower * vInverse) + noiseLower), vSteps);
            upper = Vector256.Min(Vector256.Floor((upper * vInverse) + noiseUpper), vSteps);
            Vector256<uint> level = Vector256.Narrow(Vector256.ConvertToUInt64(lower), Vector256.ConvertToUInt64(upper));

            // −0 is not below zero, as in the scalar test, so the sign comes from a comparison, not the sign bit.
            Vector256<uint> negative = Vector256.LessThan(block, Vector256<float>.Zero).AsUInt32();
            (level | (negative & vSign)).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int SignVector(ReadOnlySpan<float> x, Span<uint> codes)
    {
        if (!Vector256.IsHardwareAccelerated || x.Length < Block)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        ref uint target = ref MemoryMarshal.GetReference(codes);
        int i = 0;
        for (; i <= x.Length - Block; i += Block)
        {
            Vector256<uint> nonNegative = Vector256.GreaterThanOrEqual(Vector256.LoadUnsafe(ref source, (nuint)i), Vector256<float>.Zero).AsUInt32();
            (nonNegative & Vector256<uint>.One).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int DequantizeMinMaxVector(ReadOnlySpan<uint> codes, double min, double step, Span<float> destination)
    {
        if (!Vector256.IsHardwareAccelerated || codes.Length < Block)
        {
            return 0;
        }

        ref uint source = ref MemoryMarshal.GetReference(codes);
        ref float target = ref MemoryMarshal.GetReference(destination);
        Vector256<double> vMin = Vector256.Create(min), vStep = Vector256.Create(step);
        int i = 0;
        for (; i <= codes.Length - Block; i += Block)
        {
            (Vector256<ulong> lower, Vector256<ulong> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
            Vector256<double> a = vMin + (Vector256.ConvertToDouble(lower) * vStep);
            Vector256<double> b = vMin + (Vector256.ConvertToDouble(upper) * vStep);
            Vector256.Narrow(a, b).StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int DequantizeNormVector(ReadOnlySpan<uint> codes, int magnitudeBits, double unit, Span<float> destination)
    {
        if (!Vector256.IsHardwareAccelerated || codes.Length < Block)
        {
            return 0;
        }

        ref uint source = ref MemoryMarshal.GetReference(codes);
        ref float target = ref MemoryMarshal.GetReference(destination);
        var mask = Vector256.Create((uint)((1UL << magnitudeBits) - 1));
        Vector256<double> vUnit = Vector256.Create(unit), largest = Vector256.Create((double)float.MaxValue);
        int i = 0;
        for (; i <= codes.Length - Block; i += Block)
        {
            Vector256<uint> c = Vector256.LoadUnsafe(ref source, (nuint)i);
            (Vector256<ulong> lower, Vector256<ulong> upper) = Vector256.Widen(c & mask);
            Vector256<double> a = Vector256.Min(Vector256.ConvertToDouble(lower) * vUnit, largest);
            Vector256<double> b = Vector256.Min(Vector256.ConvertToDouble(upper) * vUnit, largest);
            Vector256<uint> magnitude = Vector256.Narrow(a, b).AsUInt32();
            (magnitude | Vector256.ShiftLeft(Vector256.ShiftRightLogical(c, magnitudeBits), 31)).AsSingle().StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static int DequantizeSignVector(ReadOnlySpan<uint> codes, int scaleBits, Span<float> destination)
    {
        if (!Vector256.IsHardwareAccelerated || codes.Length < Block)
        {
            return 0;
        }

        ref uint source = ref MemoryMarshal.GetReference(codes);
        ref float target = ref MemoryMarshal.GetReference(destination);
        var scale = Vector256.Create((uint)scaleBits);
        int i = 0;
        for (; i <= codes.Length - Block; i += Block)
        {
            Vector256<uint> c = Vector256.LoadUnsafe(ref source, (nuint)i);
            (scale | Vector256.ShiftLeft(c ^ Vector256<uint>.One, 31)).AsSingle().StoreUnsafe(ref target, (nuint)i);
        }

        return i;
    }

    private static double SumOfSquaresVector(ReadOnlySpan<float> x, out int end)
    {
        end = 0;
        if (!Vector256.IsHardwareAccelerated || x.Length < Block)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        Vector256<double> sumLower = Vector256<double>.Zero, sumUpper = Vector256<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Block; i += Block)
        {
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.LoadUnsafe(ref source, (nuint)i));
            sumLower += lower * lower;
            sumUpper += upper * upper;
        }

        end = i;
        return Vector256.Sum(sumLower + sumUpper);
    }

    private static double SumOfMagnitudesVector(ReadOnlySpan<float> x, out int end)
    {
        end = 0;
        if (!Vector256.IsHardwareAccelerated || x.Length < Block)
        {
            return 0;
        }

        ref float source = ref MemoryMarshal.GetReference(x);
        Vector256<double> sumLower = Vector256<double>.Zero, sumUpper = Vector256<double>.Zero;
        int i = 0;
        for (; i <= x.Length - Block; i += Block)
        {
            (Vector256<double> lower, Vector256<double> upper) = Vector256.Widen(Vector256.Abs(Vector256.LoadUnsafe(ref source, (nuint)i)));
            sumLower += lower;
            sumUpper += upper;
        }

        end = i;
        return Vector256.Sum(sumLower + sumUpper);
    }

    /// <summary>The draws of <see cref="StochasticNoise.Uniform"/> for positions position … position + 7, in two halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector256<double> Lower, Vector256<double> Upper) Noise(ulong streamSeed, long position) =>
        (NoiseOf(streamSeed, position), NoiseOf(streamSeed, position + 4));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> NoiseOf(ulong streamSeed, long position)
    {
        Vector256<ulong> z = Vector256.Create(streamSeed) + ((Vector256.Create((ulong)position) + Vector256.Create(0UL, 1, 2, 3)) * Vector256.Create(0x9E3779B97F4A7C15UL));
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(0xBF58476D1CE4E5B9UL);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(0x94D049BB133111EBUL);
        z ^= Vector256.ShiftRightLogical(z, 31);
        return Vector256.ConvertToDouble(Vector256.ShiftRightLogical(z, 11)) * Vector256.Create(1.0 / (1UL << 53));
    }
}
