using System.Buffers;
using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// The pseudo-random generator that expands a 32-byte seed into a mask vector: AES-256 in counter mode, built from
/// AES-ECB over consecutive counter blocks (each 16-byte block gives four 32-bit words). Cryptographically secure as
/// long as the seed is secret; never a general-purpose RNG. Not thread-safe; dispose to release the cipher.
/// </summary>
internal sealed class MaskGenerator : IDisposable
{
    /// <summary>Counter blocks encrypted per call into the cipher (64 KiB of output).</summary>
    private const int BlocksPerChunk = 4096;

    private readonly Aes _aes;
    private ulong _counter;

    /// <summary>Creates a generator keyed by <paramref name="seed"/> (32 bytes).</summary>
    public MaskGenerator(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != 32)
        {
            throw new ArgumentException($"a mask seed is 32 bytes, not {seed.Length}.", nameof(seed));
        }

        _aes = Aes.Create();
        _aes.Key = seed.ToArray();
    }

    /// <summary>Writes the next words of the stream to <paramref name="destination"/>.</summary>
    public void Fill(Span<uint> destination)
    {
        byte[] counters = ArrayPool<byte>.Shared.Rent(BlocksPerChunk * 16);
        Span<byte> tail = stackalloc byte[16];
        try
        {
            while (destination.Length > 0)
            {
                int blocks = Math.Min(BlocksPerChunk, (destination.Length + 3) / 4);
                Span<byte> input = counters.AsSpan(0, blocks * 16);
                input.Clear();
                for (int b = 0; b < blocks; b++)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(input.Slice(b * 16, 8), _counter++);
                }

                int words = Math.Min(destination.Length, blocks * 4);
                if (words == blocks * 4)
                {
                    // Whole blocks: encrypt straight into the destination.
                    _aes.EncryptEcb(input, MemoryMarshal.AsBytes(destination[..words]), PaddingMode.None);
                }
                else
                {
                    int whole = words / 4 * 4;
                    if (whole > 0)
                    {
                        _aes.EncryptEcb(input[..(whole * 4)], MemoryMarshal.AsBytes(destination[..whole]), PaddingMode.None);
                    }

                    _aes.EncryptEcb(input.Slice(whole * 4, 16), tail, PaddingMode.None);
                    MemoryMarshal.Cast<byte, uint>(tail)[..(words - whole)].CopyTo(destination[whole..words]);
                }

                destination = destination[words..];
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(counters);
        }
    }

    /// <summary>Adds (<paramref name="sign"/> = +1) or subtracts (−1) the next words of the stream to <paramref name="accumulator"/>, modulo 2^32.</summary>
    public void Apply(Span<uint> accumulator, int sign)
    {
        uint[] scratch = ArrayPool<uint>.Shared.Rent(BlocksPerChunk * 4);
        try
        {
            while (accumulator.Length > 0)
            {
                int words = Math.Min(accumulator.Length, BlocksPerChunk * 4);
                Span<uint> mask = scratch.AsSpan(0, words);
                Fill(mask);
                Span<uint> target = accumulator[..words];
                if (sign >= 0)
                {
                    TensorPrimitives.Add(target, mask, target);
                }
                else
                {
                    TensorPrimitives.Subtract(target, mask, target);
                }

                accumulator = accumulator[words..];
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(scratch);
        }
    }

    /// <summary>Adds or subtracts the whole stream of <paramref name="seed"/> to <paramref name="accumulator"/>.</summary>
    public static void Apply(ReadOnlySpan<byte> seed, Span<uint> accumulator, int sign)
    {
        using var generator = new MaskGenerator(seed);
        generator.Apply(accumulator, sign);
    }

    /// <inheritdoc />
    public void Dispose() => _aes.Dispose();
}
