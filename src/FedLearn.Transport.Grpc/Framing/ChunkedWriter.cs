using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// Writes one <see cref="OutgoingMessage"/> as a start frame followed by its body in chunks of at most the chunk
/// size. Neither float nor byte bodies are copied: each chunk wraps its range of the body, and gRPC serializes it
/// into its output before WriteAsync completes. The caller serializes writers: one message's frames must not
/// interleave with another's. <c>stopBeforeNextFrame</c> ends a message early at a frame boundary.
/// </summary>
internal static class ChunkedWriter
{
    public static async Task WriteAsync<TFrame>(
        IAsyncStreamWriter<TFrame> writer,
        OutgoingMessage message,
        Func<MessageStart, TFrame> startFrame,
        Func<Chunk, TFrame> chunkFrame,
        int chunkBytes,
        CancellationToken cancellationToken,
        CancellationToken stopBeforeNextFrame = default)
    {
        ulong exchangeId = message.Start.ExchangeId;
        await writer.WriteAsync(startFrame(message.Start), cancellationToken).ConfigureAwait(false);
        long length = message.BodyLength;
        if (length == 0)
        {
            return;
        }

        // Float chunks stay whole floats so the receiver never sees a value split across chunks (it accepts that too).
        // A float chunk is a view of the model's own memory: it is serialized straight into the gRPC output, no scratch copy.
        int chunk = message.Floats is null ? chunkBytes : Math.Max(sizeof(float), chunkBytes / sizeof(float) * sizeof(float));
        uint sequence = 0;
        for (long offset = 0; offset < length; offset += chunk, sequence++)
        {
            // Checked between frames only: cancelling a write in flight would reset the whole stream.
            stopBeforeNextFrame.ThrowIfCancellationRequested();
            int count = (int)Math.Min(chunk, length - offset);
            ByteString data = message.Floats is { } floats
                ? UnsafeByteOperations.UnsafeWrap(new FloatBodyMemory(floats, (int)(offset / sizeof(float)), count / sizeof(float)).Memory)
                : UnsafeByteOperations.UnsafeWrap(message.Bytes.Slice((int)offset, count));
            await writer.WriteAsync(chunkFrame(new Chunk { ExchangeId = exchangeId, Sequence = sequence, Data = data }), cancellationToken).ConfigureAwait(false);
        }
    }
}
