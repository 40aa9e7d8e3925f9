using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>
/// Connection middleware that runs after Kestrel's TLS: it replaces the connection's output with a writer that hands
/// the TLS stream large buffers. Kestrel's own TLS output hands the TLS stream one 4 KiB pool block at a time, so a
/// model streamed down to a client was encrypted in 4 KiB records, each its own encryption call and write; with
/// 64 KiB writes the TLS stream fills full 16 KiB records. The input side is left as Kestrel made it.
/// </summary>
internal static class TlsWriteCoalescing
{
    /// <summary>Smallest buffer the connection's writer hands to the TLS stream at once.</summary>
    public const int WriteBufferBytes = 64 << 10;

    public static ConnectionDelegate Wrap(ConnectionDelegate next) => async context =>
    {
        if (context.Features.Get<ISslStreamFeature>()?.SslStream is not { } tls)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        IDuplexPipe original = context.Transport;
        PipeWriter output = PipeWriter.Create(tls, new StreamPipeWriterOptions(minimumBufferSize: WriteBufferBytes, leaveOpen: true));
        context.Transport = new Transport(original.Input, output);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            // Kestrel completes the output it was given; this makes sure nothing stays rented if it did not.
            await output.CompleteAsync().ConfigureAwait(false);
            context.Transport = original;
        }
    };

    private sealed class Transport(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
