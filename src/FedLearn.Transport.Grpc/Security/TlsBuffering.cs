using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>
/// Connection middleware that runs after Kestrel's TLS: it replaces the connection's output (and, unless told not to,
/// its input) with pipes that move large buffers through the TLS stream. Kestrel's own TLS pipes move one 4 KiB pool
/// block at a time: a model streamed down to a client was encrypted in 4 KiB records, each its own encryption call and
/// write, and an update streamed up was taken out of each 16 KiB TLS record in four 4 KiB reads. With 64 KiB writes
/// the TLS stream fills full 16 KiB records; with 64 KiB reads a whole record is taken at once.
/// </summary>
/// <remarks>
/// Neither pipe holds a buffer while a connection is idle: the writer returns its buffers to the pool after each
/// flush, and the reader waits for data with a zero-byte read before it rents one.
/// </remarks>
internal static class TlsBuffering
{
    /// <summary>Smallest buffer the connection's writer hands to the TLS stream at once.</summary>
    public const int WriteBufferBytes = 64 << 10;

    /// <summary>Buffer the connection's reader asks the TLS stream to fill.</summary>
    public const int ReadBufferBytes = 64 << 10;

    /// <summary>Least free space the reader asks for: one whole TLS record.</summary>
    public const int MinimumReadBytes = 16 << 10;

    /// <summary>Large writes and large reads.</summary>
    public static ConnectionDelegate Wrap(ConnectionDelegate next) => Wrap(next, largeReads: true);

    /// <summary>Large writes; large reads only when <paramref name="largeReads"/> (false keeps Kestrel's 4 KiB reads, for comparison).</summary>
    public static ConnectionDelegate Wrap(ConnectionDelegate next, bool largeReads) => async context =>
    {
        if (context.Features.Get<ISslStreamFeature>()?.SslStream is not { } tls)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        IDuplexPipe original = context.Transport;
        PipeWriter output = PipeWriter.Create(tls, new StreamPipeWriterOptions(minimumBufferSize: WriteBufferBytes, leaveOpen: true));
        PipeReader? input = largeReads
            ? PipeReader.Create(tls, new StreamPipeReaderOptions(bufferSize: ReadBufferBytes, minimumReadSize: MinimumReadBytes, leaveOpen: true, useZeroByteReads: true))
            : null;
        context.Transport = new Transport(input ?? original.Input, output);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            // Kestrel completes the pipes it was given; this makes sure nothing stays rented if it did not.
            await output.CompleteAsync().ConfigureAwait(false);
            if (input is not null)
            {
                await input.CompleteAsync().ConfigureAwait(false);
            }

            context.Transport = original;
        }
    };

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
