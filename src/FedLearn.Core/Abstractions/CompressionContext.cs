namespace FedLearn;

/// <summary>
/// What a compressor needs besides the vector: who compresses, in which round, a seed for randomness, and the
/// client's persistent state (which survives across rounds inside the client and can be reset).
/// </summary>
/// <param name="ClientId">The client compressing.</param>
/// <param name="Round">The round (1-based).</param>
/// <param name="Seed">Seed for any randomness; the same seed gives the same bytes.</param>
/// <param name="State">The client's state, owned by the client.</param>
public sealed record CompressionContext(string ClientId, int Round, ulong Seed, ComponentState State);
