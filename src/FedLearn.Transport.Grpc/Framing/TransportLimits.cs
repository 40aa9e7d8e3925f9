namespace FedLearn.Transport.Grpc.Framing;

/// <summary>The size limits one side enforces on what it receives, checked before anything is allocated.</summary>
/// <param name="MaxChunkBytes">Largest body chunk accepted.</param>
/// <param name="MaxMessageBytes">Largest declared body of one message.</param>
/// <param name="MaxTensors">Most tensors a model layout may list.</param>
internal readonly record struct TransportLimits(int MaxChunkBytes, long MaxMessageBytes, int MaxTensors)
{
    /// <summary>Room for the frame around a chunk and for message headers, above the chunk size, in a gRPC message.</summary>
    public const int FrameOverheadBytes = 1 << 20;

    /// <summary>The largest gRPC message this side must accept.</summary>
    public int MaxGrpcMessageBytes => MaxChunkBytes + FrameOverheadBytes;
}
