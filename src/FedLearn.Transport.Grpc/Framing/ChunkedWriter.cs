using System.Buffers;
using System.Runtime.InteropServices;
using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// Writes one <see cref="OutgoingMessage"/> as a start frame followed by its body in chunks of at most the chunk
/// size. Float bodies are copied chunk by chunk into one pooled buffer; byte bodies are sent without a copy. The
/// caller serializes writers: one message's frames must not interleave with another's.
/// </summary>
internal static class ChunkedWriter
{
    public static async Task WriteAsync<TFrame>(
        IAsyncStreamWriter<TFrame> writer,
        OutgoingMessage message,
        Func<MessageStart, TFrame> startFrame,
        Func<Chunk, TFrame> chunkFrame,
        int chunkBytes,
        CancellationToken cancellationToken)
    {
        ulong exchangeId = message.Start.ExchangeId;
        await writer.WriteAsync(startFrame(message.Start), cancellationToken).ConfigureAwait(false);
        long length = message.BodyLength;
        if (length == 0)
        {
            return;
        }

        // Float chunks stay whole floats so the receiver never sees a value split across chunks (it accepts that too).
        int chunk = message.Floats is null ? chunkBytes : Math.Max(sizeof(float), chunkBytes / sizeof(float) * sizeof(float));
        byte[]? scratch = message.Floats is null ? null : ArrayPool<byte>.Shared.Rent((int)Math.Min(chunk, length));
        try
        {
            uint sequence = 0;
            for (long offset = 0; offset < length; offset += chunk, sequence++)
            {
                int count = (int)Math.Min(chunk, length - offset);
                ByteString data;
                if (message.Floats is { } floats)
                {
                    MemoryMarshal.AsBytes(floats.AsSpan((int)(offset / sizeof(float)), count / sizeof(float))).CopyTo(scratch);
                    data = UnsafeByteOperations.UnsafeWrap(scratch.AsMemory(0, count));
                }
                else
                {
                    data = UnsafeByteOperations.UnsafeWrap(message.Bytes.Slice((int)offset, count));
                }

                // The frame is serialized before WriteAsync completes, so the scratch buffer may be reused afterwards.
                await writer.WriteAsync(chunkFrame(new Chunk { ExchangeId = exchangeId, Sequence = sequence, Data = data }), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (scratch is not null)
            {
                ArrayPool<byte>.Shared.Return(scratch);
            }
        }
    }
}
