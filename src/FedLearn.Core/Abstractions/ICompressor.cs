namespace FedLearn;

/// <summary>
/// Encodes a client's model delta for the uplink and decodes it on the server. The codec itself is stateless
/// and thread-safe; per-client state (such as an error-feedback residual) lives in the
/// <see cref="CompressionContext"/> the client passes in, so one instance serves many clients.
/// </summary>
public interface ICompressor
{
    /// <summary>The codec chain in its one-string form (for example <c>ef,topk:0.01,q:8,entropy</c>).</summary>
    string Name { get; }

    /// <summary>Encodes <paramref name="update"/>. The input is not modified; the result owns its bytes.</summary>
    /// <param name="update">The dense delta. Must be finite.</param>
    /// <param name="context">The client's state and the seed for any randomness (stochastic rounding).</param>
    EncodedUpdatePayload Compress(ReadOnlySpan<float> update, CompressionContext context);

    /// <summary>Decodes a payload into <paramref name="destination"/>, whose length must equal the encoded element count.</summary>
    /// <exception cref="FedLearnFormatException">The payload is truncated, corrupted or inconsistent.</exception>
    void Decompress(ReadOnlySpan<byte> payload, Span<float> destination);
}
