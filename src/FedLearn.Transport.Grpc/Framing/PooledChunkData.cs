using System.Buffers;
using System.Runtime.InteropServices;
using Google.Protobuf;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// The body bytes of one received chunk, in an array rented from <see cref="ArrayPool{T}.Shared"/> instead of a new
/// array per chunk: a 4 MiB chunk would otherwise be a fresh large-object allocation (and a few thousand page faults)
/// per chunk. The reader that consumes the chunk gives the array back with <see cref="Return"/>; afterwards the chunk's
/// bytes can no longer be read (reading them throws <see cref="ObjectDisposedException"/>). Return is idempotent and
/// thread-safe.
/// </summary>
internal sealed class PooledChunkData : MemoryManager<byte>
{
    private readonly int _length;
    private byte[]? _array;
    private GCHandle _pin;
    private int _pins;

    private PooledChunkData(byte[] array, int length)
    {
        _array = array;
        _length = length;
    }

    /// <summary>Copies <paramref name="source"/> into a pooled array; the bytes of the result must be given back with <see cref="Return"/>.</summary>
    public static ByteString Copy(ReadOnlySequence<byte> source)
    {
        if (source.IsEmpty)
        {
            return ByteString.Empty;
        }

        int length = checked((int)source.Length);
        byte[] array = ArrayPool<byte>.Shared.Rent(length);
        source.CopyTo(array);
        return UnsafeByteOperations.UnsafeWrap(new PooledChunkData(array, length).Memory);
    }

    /// <summary>Gives the pooled array behind <paramref name="data"/> back; does nothing for bytes that are not pooled.</summary>
    public static void Return(ByteString data)
    {
        if (MemoryMarshal.TryGetMemoryManager(data.Memory, out PooledChunkData? owner))
        {
            owner.Release();
        }
    }

    public override Span<byte> GetSpan() =>
        Volatile.Read(ref _array) is { } array ? array.AsSpan(0, _length) : throw new ObjectDisposedException(nameof(PooledChunkData), "The chunk's bytes were already returned to the pool.");

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        lock (this)
        {
            byte[] array = _array ?? throw new ObjectDisposedException(nameof(PooledChunkData), "The chunk's bytes were already returned to the pool.");
            if (_pins++ == 0)
            {
                _pin = GCHandle.Alloc(array, GCHandleType.Pinned);
            }

            return new MemoryHandle((byte*)_pin.AddrOfPinnedObject() + elementIndex, default, this);
        }
    }

    public override void Unpin()
    {
        lock (this)
        {
            if (--_pins == 0)
            {
                _pin.Free();
            }
        }
    }

    protected override void Dispose(bool disposing) => Release();

    private void Release()
    {
        // A pinned array stays with this chunk (returning it while pinned would hand out memory someone still points at).
        if (Volatile.Read(ref _pins) == 0 && Interlocked.Exchange(ref _array, null) is { } array)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }
}
