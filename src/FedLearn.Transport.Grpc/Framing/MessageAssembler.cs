using System.Buffers;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// Rebuilds messages from a start frame and its chunks. Every declared size is checked against the limits and
/// against the header before the destination is allocated, once, at its final size; chunks are copied straight into
/// it, in order. Anything malformed, oversized or out of order throws a <see cref="ProtocolViolationException"/>
/// whose status says what is wrong. One message at a time; not thread-safe (one per stream).
/// </summary>
internal sealed partial class MessageAssembler
{
    private readonly TransportLimits _limits;
    private readonly Dictionary<string, IMessageSerializer> _serializers;
    private readonly bool _receivesReplies;
    private Pending? _current;

    /// <param name="limits">What this side accepts.</param>
    /// <param name="serializers">Serializers of extension kinds.</param>
    /// <param name="receivesReplies">True on the server (client replies are accepted), false on the client (instructions).</param>
    public MessageAssembler(TransportLimits limits, IEnumerable<IMessageSerializer>? serializers, bool receivesReplies)
    {
        _limits = limits;
        _receivesReplies = receivesReplies;
        _serializers = new Dictionary<string, IMessageSerializer>(StringComparer.Ordinal);
        foreach (IMessageSerializer serializer in serializers ?? [])
        {
            foreach (string kind in serializer.Kinds)
            {
                _serializers.TryAdd(kind, serializer);
            }
        }
    }

    /// <summary>True while a message's chunks are still expected.</summary>
    public bool InProgress => _current is not null;

    /// <summary>Starts a message; returns it at once when its body is empty.</summary>
    /// <param name="start">The start frame.</param>
    /// <param name="discard">Check the frames but keep nothing (a refused submission whose chunks must still be read).</param>
    public AssembledMessage? Begin(MessageStart start, bool discard = false)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (_current is { } open)
        {
            throw Violation(StatusCode.InvalidArgument, $"a MessageStart for exchange {start.ExchangeId} arrived before the {open.Received} of {open.Length} body bytes of exchange {open.Start.ExchangeId} were complete.");
        }

        long length = start.BodyLength;
        if (length < 0)
        {
            throw Violation(StatusCode.InvalidArgument, $"exchange {start.ExchangeId} declares a negative body length ({length}).");
        }

        if (length > _limits.MaxMessageBytes)
        {
            throw Violation(StatusCode.ResourceExhausted, $"exchange {start.ExchangeId} declares a body of {length} bytes; the limit is {_limits.MaxMessageBytes} bytes.");
        }

        var pending = new Pending(start, length, discard);
        if (!discard)
        {
            Allocate(pending);
        }

        if (length == 0)
        {
            return Complete(pending);
        }

        _current = pending;
        return null;
    }

    /// <summary>Adds a chunk; returns the message when it was the last one.</summary>
    public AssembledMessage? Append(Chunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        Pending pending = _current ?? throw Violation(StatusCode.InvalidArgument, $"chunk {chunk.Sequence} of exchange {chunk.ExchangeId} arrived without a MessageStart.");
        if (chunk.ExchangeId != pending.Start.ExchangeId)
        {
            throw Violation(StatusCode.InvalidArgument, $"out-of-order chunk: chunk {chunk.Sequence} of exchange {chunk.ExchangeId} arrived while exchange {pending.Start.ExchangeId} was being received.");
        }

        if (chunk.Sequence != pending.NextSequence)
        {
            throw Violation(StatusCode.InvalidArgument, $"out-of-order chunk: exchange {chunk.ExchangeId} expected chunk {pending.NextSequence} but got chunk {chunk.Sequence}.");
        }

        ReadOnlySpan<byte> data = chunk.Data.Span;
        if (data.Length == 0)
        {
            throw Violation(StatusCode.InvalidArgument, $"chunk {chunk.Sequence} of exchange {chunk.ExchangeId} is empty.");
        }

        if (data.Length > _limits.MaxChunkBytes)
        {
            throw Violation(StatusCode.ResourceExhausted, $"chunk {chunk.Sequence} of exchange {chunk.ExchangeId} holds {data.Length} bytes; the chunk limit is {_limits.MaxChunkBytes} bytes.");
        }

        if (data.Length > pending.Length - pending.Received)
        {
            throw Violation(StatusCode.InvalidArgument, $"exchange {chunk.ExchangeId} sent more body bytes than the {pending.Length} it declared.");
        }

        if (!pending.Discard)
        {
            if (pending.Floats is { } floats)
            {
                CopyIntoFloats(floats, pending.Received, data);
            }
            else
            {
                data.CopyTo(pending.Bytes.AsSpan((int)pending.Received));
            }

            pending.Hash.Append(data);
        }

        pending.Received += data.Length;
        pending.NextSequence++;
        if (pending.Received < pending.Length)
        {
            return null;
        }

        _current = null;
        return Complete(pending);
    }

    /// <summary>Drops a message in progress (the stream ended) and returns its pooled buffer.</summary>
    public void Reset()
    {
        if (_current is { } pending)
        {
            pending.ReturnPooled();
            _current = null;
        }
    }

    private static void CopyIntoFloats(float[] destination, long byteOffset, ReadOnlySpan<byte> data)
    {
        // A chunk may start or end inside a float; address the floats it touches and write its bytes at the right offset.
        int firstFloat = (int)(byteOffset / sizeof(float));
        int skip = (int)(byteOffset % sizeof(float));
        int floatsTouched = (skip + data.Length + sizeof(float) - 1) / sizeof(float);
        data.CopyTo(MemoryMarshal.AsBytes(destination.AsSpan(firstFloat, floatsTouched))[skip..]);
    }

    private static ProtocolViolationException Violation(StatusCode code, string message) => new(code, message);

    private sealed class Pending(MessageStart start, long length, bool discard)
    {
        public MessageStart Start { get; } = start;

        public long Length { get; } = length;

        public bool Discard { get; } = discard;

        public long Received { get; set; }

        public uint NextSequence { get; set; }

        public float[]? Floats { get; set; }

        public byte[]? Bytes { get; set; }

        public bool BytesPooled { get; set; }

        public XxHash3 Hash { get; } = new();

        public void ReturnPooled()
        {
            if (BytesPooled && Bytes is not null)
            {
                ArrayPool<byte>.Shared.Return(Bytes);
                Bytes = null;
                BytesPooled = false;
            }
        }
    }
}
