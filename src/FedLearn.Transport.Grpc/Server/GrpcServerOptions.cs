using System.ComponentModel.DataAnnotations;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>Settings of the <see cref="GrpcServerTransport"/>. Validated when the transport is built.</summary>
public sealed class GrpcServerOptions : IValidatableObject
{
    /// <summary>Size of the body chunks the server sends, and the largest chunk it accepts.</summary>
    /// <value>Default 4 MiB.</value>
    [Range(4096, 64 << 20)]
    public int ChunkBytes { get; set; } = GrpcTransportDefaults.ChunkBytes;

    /// <summary>Largest body of one reply the server accepts; checked against the declared size before anything is allocated.</summary>
    /// <value>Default 2 GiB.</value>
    [Range(0L, long.MaxValue)]
    public long MaxMessageBytes { get; set; } = GrpcTransportDefaults.MaxMessageBytes;

    /// <summary>Most tensors a model layout may list.</summary>
    /// <value>Default 100 000.</value>
    [Range(1, int.MaxValue)]
    public int MaxTensors { get; set; } = GrpcTransportDefaults.MaxTensors;

    /// <summary>
    /// HTTP/2 flow-control window of each client connection: how many bytes all streams of one connection may send
    /// before the server has read them. Set on Kestrel by <c>AddFedLearnGrpcServer</c> (a server-wide setting).
    /// </summary>
    /// <value>Default 16 MiB.</value>
    /// <remarks>
    /// Kestrel's own default (1 MiB) makes a sender of a large model stop and wait for a window update every megabyte.
    /// A window is also memory the server may hold per client before reading it, so with many clients uploading at once
    /// the peak grows with it.
    /// </remarks>
    [Range(GrpcTransportDefaults.MinHttp2WindowBytes, int.MaxValue)]
    public int Http2ConnectionWindowBytes { get; set; } = GrpcTransportDefaults.Http2ConnectionWindowBytes;

    /// <summary>
    /// HTTP/2 flow-control window of each client stream: how many bytes of a client's update may be in flight before the
    /// server has read them. At most <see cref="Http2ConnectionWindowBytes"/>.
    /// </summary>
    /// <value>Default 8 MiB.</value>
    /// <remarks>Kestrel's own default is 768 KiB. The same trade-off as <see cref="Http2ConnectionWindowBytes"/> applies.</remarks>
    [Range(GrpcTransportDefaults.MinHttp2WindowBytes, int.MaxValue)]
    public int Http2StreamWindowBytes { get; set; } = GrpcTransportDefaults.Http2StreamWindowBytes;

    /// <summary>How often the server sends a heartbeat on an idle stream (and asks clients to).</summary>
    /// <value>Default 5 s.</value>
    public TimeSpan HeartbeatInterval { get; set; } = GrpcTransportDefaults.HeartbeatInterval;

    /// <summary>A client that sends nothing (not even a heartbeat) for this long is dropped.</summary>
    /// <value>Default 20 s.</value>
    public TimeSpan DropoutTimeout { get; set; } = GrpcTransportDefaults.DropoutTimeout;

    /// <summary>
    /// How long a dropped client's open exchanges wait for it to reconnect; a client that reconnects in time gets
    /// them again and may still deliver. After that, they fail as unavailable.
    /// </summary>
    /// <value>Default 30 s.</value>
    public TimeSpan ReconnectGracePeriod { get; set; } = GrpcTransportDefaults.ReconnectGracePeriod;

    /// <summary>How long a new stream may take to send its Hello.</summary>
    /// <value>Default 15 s.</value>
    public TimeSpan HandshakeTimeout { get; set; } = GrpcTransportDefaults.HandshakeTimeout;

    /// <summary>
    /// When true, a client's id is taken from its TLS client certificate and a stream without one is refused. Turn off
    /// only for plaintext development set-ups, where the id in Hello is believed.
    /// </summary>
    /// <value>Default true.</value>
    public bool RequireClientCertificate { get; set; } = true;

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Http2StreamWindowBytes > Http2ConnectionWindowBytes)
        {
            yield return new ValidationResult($"Http2StreamWindowBytes ({Http2StreamWindowBytes}) must not exceed Http2ConnectionWindowBytes ({Http2ConnectionWindowBytes}).", [nameof(Http2StreamWindowBytes), nameof(Http2ConnectionWindowBytes)]);
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"HeartbeatInterval must be positive, got {HeartbeatInterval}.", [nameof(HeartbeatInterval)]);
        }

        if (DropoutTimeout <= HeartbeatInterval)
        {
            yield return new ValidationResult($"DropoutTimeout ({DropoutTimeout}) must exceed HeartbeatInterval ({HeartbeatInterval}).", [nameof(DropoutTimeout)]);
        }

        if (ReconnectGracePeriod < TimeSpan.Zero)
        {
            yield return new ValidationResult($"ReconnectGracePeriod must not be negative, got {ReconnectGracePeriod}.", [nameof(ReconnectGracePeriod)]);
        }

        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"HandshakeTimeout must be positive, got {HandshakeTimeout}.", [nameof(HandshakeTimeout)]);
        }
    }
}
