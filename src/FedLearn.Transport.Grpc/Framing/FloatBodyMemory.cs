using System.Buffers;
using System.Runtime.InteropServices;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// A range of a float buffer seen as its little-endian bytes, without a copy, so that a chunk of weights is serialized
/// straight from the model into the gRPC output. The buffer is borrowed: it must not change while the chunk is written
/// (published weights and sent updates never do). The bytes are in the host's order, as the receiver's copy into
/// floats expects (little-endian, as the protocol says, on every platform .NET ships for but s390x).
/// </summary>
internal sealed class FloatBodyMemory : MemoryManager<byte>
{
    private readonly float[] _floats;
    private readonly int _start;
    private readonly int _count;
    private GCHandle _pin;
    private int _pins;

    public FloatBodyMemory(float[] floats, int start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, int.MaxValue / sizeof(float));
        _ = floats.AsSpan(start, count);
        _floats = floats;
        _start = start;
        _count = count;
    }

    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(_floats.AsSpan(_start, _count));

    public override unsafe MemoryHandle Pin(int elementIndex = 0)
    {
        lock (this)
        {
            if (_pins++ == 0)
            {
                _pin = GCHandle.Alloc(_floats, GCHandleType.Pinned);
            }

            return new MemoryHandle((byte*)_pin.AddrOfPinnedObject() + ((long)_start * sizeof(float)) + elementIndex, default, this);
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

    protected override void Dispose(bool disposing)
    {
    }
}
