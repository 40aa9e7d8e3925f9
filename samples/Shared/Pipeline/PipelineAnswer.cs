using FedLearn.Transport;

namespace FedLearn.Samples.Shared.Pipeline;

/// <summary>A client's answer to a <see cref="PipelineOffer"/>: its own settings and, when they do not fit the server's, why.</summary>
/// <param name="ClientId">The client.</param>
/// <param name="Round">The round of the offer.</param>
/// <param name="SecureAggregation">The client's secure-aggregation protocol: <c>none</c>, <c>secagg+</c> or <c>paillier</c>.</param>
/// <param name="Dp">The client's DP mode: <c>none</c> or <c>sample</c> (DP-SGD).</param>
/// <param name="NoiseMultiplier">DP-SGD's σ (<c>sample</c>); 0 otherwise.</param>
/// <param name="SampleRate">DP-SGD's Poisson sampling rate q (<c>sample</c>); 0 otherwise.</param>
/// <param name="Problem">Why the client will not take part (the settings disagree); <c>null</c> when it agrees.</param>
/// <param name="KeyFingerprint">Under Paillier, the fingerprint of the public key that belongs to the client's secret key; <c>null</c> otherwise.</param>
internal sealed record PipelineAnswer(string ClientId, int Round, string SecureAggregation, string Dp, double NoiseMultiplier, double SampleRate, string? Problem, string? KeyFingerprint = null) : ClientMessage(ClientId, Round)
{
    /// <inheritdoc />
    public override long ByteSize => 64 + SecureAggregation.Length + Dp.Length + (Problem?.Length ?? 0) + (KeyFingerprint?.Length ?? 0);
}
