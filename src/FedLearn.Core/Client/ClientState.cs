namespace FedLearn.Client;

/// <summary>
/// What a client keeps across rounds besides its data: the compressor's state (error-feedback residual) and
/// anything other components add. In a simulation the engine stores one per client while the client itself is
/// materialised only when sampled. Not thread-safe: one round of one client at a time.
/// </summary>
public sealed class ClientState
{
    /// <summary>State for the client's compressor.</summary>
    public ComponentState Compression { get; } = new();

    /// <summary>Floats held, for memory accounting.</summary>
    public long FloatCount => Compression.FloatCount;

    /// <summary>Forgets everything (for example when the model changes).</summary>
    public void Reset() => Compression.Reset();
}
