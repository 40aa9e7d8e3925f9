using System.ComponentModel.DataAnnotations;
using FedLearn.Transport.Grpc.Server;

namespace FedLearn.Transport.Grpc.Client;

/// <summary>Settings of the <see cref="GrpcClientTransport"/>. Validated when the transport is built.</summary>
public sealed class GrpcClientOptions : IValidatableObject
{
    /// <summary>The server's address, for example <c>https://fedlearn.example.org:50051</c>.</summary>
    [Required]
    public string ServerAddress { get; set; } = string.Empty;

    /// <summary>This client's certificate (PEM). Read again from disk when it changes, before the next connection.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>This client's private key (PEM); <see langword="null"/> when it is in <see cref="CertificatePath"/>.</summary>
    public string? KeyPath { get; set; }

    /// <summary>The federation's CA certificate (PEM); the server's certificate must chain to it. Required for https addresses.</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>Size of the body chunks the client sends, and the largest chunk it accepts.</summary>
    /// <value>Default 4 MiB.</value>
    [Range(4096, 64 << 20)]
    public int ChunkBytes { get; set; } = GrpcTransportDefaults.ChunkBytes;

    /// <summary>
    /// HTTP/2 flow-control window of the client's stream: how many bytes of an instruction (a model) the server may send
    /// before the client has read them.
    /// </summary>
    /// <value>Default 8 MiB; from 65 535 bytes to 16 MiB, the range .NET's HTTP client accepts.</value>
    /// <remarks>
    /// The default of .NET's HTTP client (64 KiB to start, grown by its round-trip-time estimate) makes a server stop and
    /// wait for window updates many times per chunk of a large model.
    /// </remarks>
    [Range(GrpcTransportDefaults.MinHttp2WindowBytes, GrpcTransportDefaults.MaxClientHttp2StreamWindowBytes)]
    public int Http2StreamWindowBytes { get; set; } = GrpcTransportDefaults.Http2StreamWindowBytes;

    /// <summary>Largest instruction body the client accepts.</summary>
    /// <value>Default 2 GiB.</value>
    [Range(0L, long.MaxValue)]
    public long MaxMessageBytes { get; set; } = GrpcTransportDefaults.MaxMessageBytes;

    /// <summary>Most tensors a model layout may list.</summary>
    /// <value>Default 100 000.</value>
    [Range(1, int.MaxValue)]
    public int MaxTensors { get; set; } = GrpcTransportDefaults.MaxTensors;

    /// <summary>How often the client sends a heartbeat on an idle stream.</summary>
    /// <value>Default 5 s.</value>
    public TimeSpan HeartbeatInterval { get; set; } = GrpcTransportDefaults.HeartbeatInterval;

    /// <summary>A server that sends nothing for this long counts as gone; the client reconnects.</summary>
    /// <value>Default 20 s.</value>
    public TimeSpan DropoutTimeout { get; set; } = GrpcTransportDefaults.DropoutTimeout;

    /// <summary>How long the server may take to welcome a new stream.</summary>
    /// <value>Default 15 s.</value>
    public TimeSpan HandshakeTimeout { get; set; } = GrpcTransportDefaults.HandshakeTimeout;

    /// <summary>First reconnect delay; it doubles after each failed attempt, with jitter.</summary>
    /// <value>Default 1 s.</value>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay.</summary>
    /// <value>Default 30 s.</value>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failed connection attempts in a row before <see cref="GrpcClientTransport.RunAsync"/> gives up; 0 never gives up.</summary>
    /// <value>Default 0.</value>
    [Range(0, int.MaxValue)]
    public int MaxConnectAttempts { get; set; }

    /// <summary>Least time between two checks of the certificate files for changes.</summary>
    /// <value>Default 5 s.</value>
    public TimeSpan CertificateCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(ServerAddress, UriKind.Absolute, out Uri? address) || address.Scheme is not ("https" or "http"))
        {
            yield return new ValidationResult($"ServerAddress must be an absolute http or https address, got '{ServerAddress}'.", [nameof(ServerAddress)]);
        }
        else if (address.Scheme == "https" && (CaCertificatePath is null || CertificatePath is null))
        {
            yield return new ValidationResult("An https ServerAddress needs CaCertificatePath (to trust the server) and CertificatePath (to prove the client's identity).", [nameof(CaCertificatePath), nameof(CertificatePath)]);
        }

        if (HeartbeatInterval <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"HeartbeatInterval must be positive, got {HeartbeatInterval}.", [nameof(HeartbeatInterval)]);
        }

        if (DropoutTimeout <= HeartbeatInterval)
        {
            yield return new ValidationResult($"DropoutTimeout ({DropoutTimeout}) must exceed HeartbeatInterval ({HeartbeatInterval}).", [nameof(DropoutTimeout)]);
        }

        if (HandshakeTimeout <= TimeSpan.Zero)
        {
            yield return new ValidationResult($"HandshakeTimeout must be positive, got {HandshakeTimeout}.", [nameof(HandshakeTimeout)]);
        }

        if (ReconnectDelay <= TimeSpan.Zero || MaxReconnectDelay < ReconnectDelay)
        {
            yield return new ValidationResult($"ReconnectDelay ({ReconnectDelay}) must be positive and at most MaxReconnectDelay ({MaxReconnectDelay}).", [nameof(ReconnectDelay), nameof(MaxReconnectDelay)]);
        }
    }
}
