using FedLearn.Transport;

namespace FedLearn.Samples.Shared.Pipeline;

/// <summary>
/// The server app's first message to every client (before its first instruction, and again after it reconnects): the
/// pipeline settings both sides must agree on, and the federation's plan, which a DP-SGD client calibrates its noise to.
/// </summary>
/// <param name="Round">The round of the instruction that follows.</param>
/// <param name="SecureAggregation">The server's secure-aggregation protocol: <c>none</c>, <c>secagg+</c> or <c>paillier</c>.</param>
/// <param name="Dp">The server's DP mode: <c>none</c>, or <c>client</c> / <c>client-adaptive</c> (client-level DP-FedAvg, server-side).</param>
/// <param name="Rounds">Rounds the federation runs.</param>
/// <param name="LocalEpochs">Local epochs per round.</param>
/// <param name="BatchSize">Local mini-batch size (DP-SGD's expected batch).</param>
/// <param name="KeyFingerprint">Under Paillier, the fingerprint of the server's public key, which a client's secret key must match; <c>null</c> otherwise.</param>
/// <param name="MaxClients">Under Paillier, the most clients one encrypted sum holds (sizes the packing, which both sides must share); 0 otherwise.</param>
/// <param name="MaxWeight">Under Paillier, the cap on example counts as weights (both sides must share it); 0 otherwise.</param>
internal sealed record PipelineOffer(int Round, string SecureAggregation, string Dp, int Rounds, int LocalEpochs, int BatchSize, string? KeyFingerprint = null, int MaxClients = 0, int MaxWeight = 0) : ServerMessage(Round)
{
    /// <inheritdoc />
    public override long ByteSize => 64 + SecureAggregation.Length + Dp.Length + (KeyFingerprint?.Length ?? 0);
}
