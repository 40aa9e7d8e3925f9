namespace FedLearn.Transport.Grpc.Server;

/// <summary>Defaults of <see cref="GrpcServerOptions"/> and <see cref="FedLearn.Transport.Grpc.Client.GrpcClientOptions"/>.</summary>
public static class GrpcTransportDefaults
{
    /// <summary>Body chunk size: 4 MiB.</summary>
    public const int ChunkBytes = 4 << 20;

    /// <summary>Largest message body accepted: 2 GiB.</summary>
    public const long MaxMessageBytes = 2L << 30;

    /// <summary>HTTP/2 flow-control window of a whole connection on the server: 16 MiB.</summary>
    public const int Http2ConnectionWindowBytes = 16 << 20;

    /// <summary>HTTP/2 flow-control window of one stream, on either side: 8 MiB.</summary>
    public const int Http2StreamWindowBytes = 8 << 20;

    /// <summary>The smallest HTTP/2 flow-control window the protocol allows (and its default): 65 535 bytes.</summary>
    public const int MinHttp2WindowBytes = 65_535;

    /// <summary>
    /// The largest initial HTTP/2 stream window .NET's HTTP client accepts, and so the largest client stream window:
    /// 16 MiB.
    /// </summary>
    public const int MaxClientHttp2StreamWindowBytes = 16 << 20;

    /// <summary>Most tensors in a model layout.</summary>
    public const int MaxTensors = 100_000;

    /// <summary>Heartbeat period.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    /// <summary>Silence after which a peer counts as dropped out.</summary>
    public static readonly TimeSpan DropoutTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long the server keeps a dropped client's open exchanges for it to reconnect.</summary>
    public static readonly TimeSpan ReconnectGracePeriod = TimeSpan.FromSeconds(30);

    /// <summary>How long the server waits for a new stream's Hello (and a client for the Welcome).</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(15);
}
