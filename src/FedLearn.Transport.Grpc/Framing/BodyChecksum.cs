using System.IO.Hashing;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// The body checksum (XxHash3, 64-bit, seed 0). The checksum of a float buffer is remembered per buffer, because
/// the same global weights go to every client of a round and published weights are never modified in place.
/// </summary>
internal static class BodyChecksum
{
    private const int Slice = 1 << 28;
    private static readonly ConditionalWeakTable<float[], StrongBox<ulong>> FloatChecksums = new();

    public static ulong Of(ReadOnlySpan<byte> bytes) => XxHash3.HashToUInt64(bytes);

    public static ulong OfFloats(float[] values)
    {
        if (FloatChecksums.TryGetValue(values, out StrongBox<ulong>? known))
        {
            return known.Value;
        }

        var hash = new XxHash3();
        // Slices keep every byte span below int.MaxValue bytes, whatever the model size.
        for (long start = 0; start < values.Length; start += Slice)
        {
            int count = (int)Math.Min(Slice, values.Length - start);
            hash.Append(MemoryMarshal.AsBytes(values.AsSpan((int)start, count)));
        }

        ulong value = hash.GetCurrentHashAsUInt64();
        FloatChecksums.AddOrUpdate(values, new StrongBox<ulong>(value));
        return value;
    }
}
