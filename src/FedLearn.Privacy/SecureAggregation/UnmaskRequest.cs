using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// SecAgg+ stage 5 (server to survivor): who sent a masked input and who dropped out. An honest client reveals the
/// self-mask seed share of each survivor and the masking-key share of each dropped client it holds, and refuses a
/// request that names a client in both lists or repeats.
/// </summary>
/// <param name="Round">The round.</param>
/// <param name="Survivors">Indices of the clients whose masked input arrived.</param>
/// <param name="Dropped">Indices of the clients that shared keys but sent no masked input.</param>
public sealed record UnmaskRequest(int Round, IReadOnlyList<int> Survivors, IReadOnlyList<int> Dropped) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => (long)(Survivors.Count + Dropped.Count) * sizeof(int);
}
