using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace FedLearn.Compression.TopK;

/// <summary>
/// The two linear passes of the sampled top-k selection. <see cref="Gather"/> runs once over the dense vector: it
/// forms s = x + y (error feedback folded in, so the sum is never stored), checks that every s is finite, and appends
/// the positions and values with |s| at or above a low threshold to candidate buffers. <see cref="Emit"/> runs over
/// the candidates and writes those at or above the final threshold to the output. Both use <see cref="LeftPack"/>
/// when AVX2 is present, and a scalar loop (the tail, or everything without AVX2) that gives the same result.
/// Stateless and thread-safe; buffers belong to the caller.
/// </summary>
internal static class CandidateFilter
{
    private const int Block = 8;

    /// <summary>
    /// Appends every position i with |x[i] + y[i]| ≥ <paramref name="low"/> (|x[i]| when <paramref name="y"/> is empty)
    /// and its sum to <paramref name="positions"/> and <paramref name="values"/>, ascending, and returns how many there
    /// are. A return value above <paramref name="capacity"/> means the buffers overflowed and the pass stopped early
    /// (then <paramref name="above"/> and <paramref name="finite"/> are meaningless).
    /// </summary>
    /// <param name="x">The update.</param>
    /// <param name="y">The error-feedback residual, or empty.</param>
    /// <param name="low">Candidates have a magnitude at least this.</param>
    /// <param name="high">The count of magnitudes at least this is returned in <paramref name="above"/>.</param>
    /// <param name="positions">At least <paramref name="capacity"/> + 8 slots.</param>
    /// <param name="values">At least <paramref name="capacity"/> + 8 slots.</param>
    /// <param name="capacity">How many candidates the caller can use.</param>
    /// <param name="above">How many magnitudes are at least <paramref name="high"/>.</param>
    /// <param name="finite">Whether every sum is finite (a non-finite one is never a candidate).</param>
    public static int Gather(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float low, float high, Span<int> positions, Span<float> values, int capacity, out int above, out bool finite)
    {
        if (positions.Length < capacity + Block || values.Length < capacity + Block || !(y.IsEmpty || y.Length == x.Length))
        {
            throw new ArgumentException("The candidate buffers need eight slots of slack and y must be empty or as long as x.");
        }

        return y.IsEmpty
            ? Gather<XOnly>(x, x, low, high, positions, values, capacity, out above, out finite)
            : Gather<XPlusY>(x, y, low, high, positions, values, capacity, out above, out finite);
    }

    /// <summary>
    /// Writes the candidates with magnitude at least <paramref name="threshold"/> to <paramref name="indices"/> and
    /// <paramref name="kept"/>, which must be exactly as long as the number of such candidates when
    /// <paramref name="ties"/> is null. With <paramref name="ties"/> given, only that many candidates whose magnitude
    /// equals the threshold are kept, the first ones in position order (the scalar loop).
    /// </summary>
    public static void Emit(ReadOnlySpan<int> positions, ReadOnlySpan<float> values, float threshold, int? ties, Span<int> indices, Span<float> kept)
    {
        int written = 0;
        int i = 0;
        if (ties is int remaining)
        {
            for (; i < values.Length; i++)
            {
                float a = Math.Abs(values[i]);
                if (a > threshold || (a == threshold && remaining-- > 0))
                {
                    indices[written] = positions[i];
                    kept[written++] = values[i];
                }
            }
        }
        else
        {
            if (LeftPack.IsSupported && Vector256.IsHardwareAccelerated)
            {
                ref int sourcePositions = ref MemoryMarshal.GetReference(positions);
                ref float sourceValues = ref MemoryMarshal.GetReference(values);
                ref int targetPositions = ref MemoryMarshal.GetReference(indices);
                ref float targetValues = ref MemoryMarshal.GetReference(kept);
                var limit = Vector256.Create(threshold);

                // All eight lanes are stored, so the vector loop stops while eight output slots are still free.
                for (; i <= values.Length - Block && written <= kept.Length - Block; i += Block)
                {
                    Vector256<float> v = Vector256.LoadUnsafe(ref sourceValues, (nuint)i);
                    uint mask = Vector256.GreaterThanOrEqual(Vector256.Abs(v), limit).ExtractMostSignificantBits();
                    Vector256<int> control = LeftPack.Control(mask);
                    LeftPack.Pack(Vector256.LoadUnsafe(ref sourcePositions, (nuint)i), control).StoreUnsafe(ref targetPositions, (nuint)written);
                    LeftPack.Pack(v, control).StoreUnsafe(ref targetValues, (nuint)written);
                    written += BitOperations.PopCount(mask);
                }
            }

            for (; i < values.Length; i++)
            {
                if (Math.Abs(values[i]) >= threshold)
                {
                    indices[written] = positions[i];
                    kept[written++] = values[i];
                }
            }
        }

        if (written != kept.Length)
        {
            throw new InvalidOperationException($"Top-k selection kept {written} values where {kept.Length} were expected.");
        }
    }

    private static int Gather<TSource>(ReadOnlySpan<float> x, ReadOnlySpan<float> y, float low, float high, Span<int> positions, Span<float> values, int capacity, out int above, out bool finite)
        where TSource : struct, ISource
    {
        int count = 0;
        int aboveCount = 0;
        bool allFinite = true;
        int i = 0;
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        if (LeftPack.IsSupported && Vector256.IsHardwareAccelerated)
        {
            ref int targetPositions = ref MemoryMarshal.GetReference(positions);
            ref float targetValues = ref MemoryMarshal.GetReference(values);
            Vector256<float> vLow = Vector256.Create(low), vHigh = Vector256.Create(high), largest = Vector256.Create(float.MaxValue);
            Vector256<float> finiteLanes = Vector256<float>.AllBitsSet;
            for (; i <= x.Length - Block; i += Block)
            {
                if (count > capacity)
                {
                    above = aboveCount;
                    finite = false;
                    return count;
                }

                // Every block stores eight lanes whether or not they match: a branch on the mask would mispredict
                // often at the densities top-k runs at, and the control itself is the packed lane numbers.
                Vector256<float> s = TSource.Load(ref xs, ref ys, (nuint)i);
                Vector256<float> a = Vector256.Abs(s);
                finiteLanes &= Vector256.LessThanOrEqual(a, largest);
                uint mask = Vector256.GreaterThanOrEqual(a, vLow).ExtractMostSignificantBits();
                aboveCount += BitOperations.PopCount(Vector256.GreaterThanOrEqual(a, vHigh).ExtractMostSignificantBits());
                Vector256<int> control = LeftPack.Control(mask);
                (Vector256.Create(i) + control).StoreUnsafe(ref targetPositions, (nuint)count);
                LeftPack.Pack(s, control).StoreUnsafe(ref targetValues, (nuint)count);
                count += BitOperations.PopCount(mask);
            }

            allFinite = finiteLanes.ExtractMostSignificantBits() == 0xFF;
        }

        for (; i < x.Length; i++)
        {
            float s = TSource.At(ref xs, ref ys, (nuint)i);
            float a = Math.Abs(s);
            allFinite &= a <= float.MaxValue;
            aboveCount += a >= high ? 1 : 0;
            if (a >= low)
            {
                if (count < positions.Length)
                {
                    positions[count] = i;
                    values[count] = s;
                }

                count++;
            }
        }

        above = aboveCount;
        finite = allFinite;
        return count;
    }

    /// <summary>Where the selection reads its values from: the update alone, or the update plus the residual.</summary>
    private interface ISource
    {
        static abstract Vector256<float> Load(ref float x, ref float y, nuint i);

        static abstract float At(ref float x, ref float y, nuint i);
    }

    private readonly struct XOnly : ISource
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float x, ref float y, nuint i) => Vector256.LoadUnsafe(ref x, i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float At(ref float x, ref float y, nuint i) => Unsafe.Add(ref x, i);
    }

    private readonly struct XPlusY : ISource
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(ref float x, ref float y, nuint i) => Vector256.LoadUnsafe(ref x, i) + Vector256.LoadUnsafe(ref y, i);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static float At(ref float x, ref float y, nuint i) => Unsafe.Add(ref x, i) + Unsafe.Add(ref y, i);
    }
}
