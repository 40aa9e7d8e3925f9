using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace FedLearn.Compression.TopK;

/// <summary>
/// Moves the lanes of an eight-lane block whose mask bit is set to the front, in lane order, with one AVX2 permute:
/// row m of the table lists the set lanes of mask m first. The selection passes use it to append a block's matching
/// positions and values to a buffer with two stores and no branch per lane; the buffer needs eight lanes of slack
/// because all eight lanes are stored. Thread-safe (the table is read-only).
/// </summary>
internal static class LeftPack
{
    private static readonly int[] Table = BuildTable();

    /// <summary>Whether the permute is available; callers run their scalar loop when it is not.</summary>
    public static bool IsSupported => Avx2.IsSupported;

    /// <summary>The permute control that packs the lanes set in <paramref name="mask"/> (eight bits) to the front.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Control(uint mask) =>
        Vector256.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(Table), (nuint)(mask * 8));

    /// <summary>The lanes of <paramref name="values"/> that <paramref name="control"/> selects, packed to the front.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Pack(Vector256<float> values, Vector256<int> control) => Avx2.PermuteVar8x32(values, control);

    /// <summary>The lanes of <paramref name="values"/> that <paramref name="control"/> selects, packed to the front.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Pack(Vector256<int> values, Vector256<int> control) => Avx2.PermuteVar8x32(values, control);

    private static int[] BuildTable()
    {
        int[] table = new int[256 * 8];
        for (int mask = 0; mask < 256; mask++)
        {
            int next = 0;
            for (int lane = 0; lane < 8; lane++)
            {
                if ((mask & (1 << lane)) != 0)
                {
                    table[(mask * 8) + next++] = lane;
                }
            }
        }

        return table;
    }
}
