using FedLearn.Transport;

namespace FedLearn.SecureAggregation;

/// <summary>
/// The client's side of an <see cref="ISecureAggregationProtocol"/>. When a <see cref="Client.ClientPipeline"/> holds
/// one, the client hands it every instruction that is not training or evaluation, and replaces the plain upload by
/// <see cref="Protect"/> applied to the delta after privatization (so client-level DP noise is added before masking).
/// </summary>
/// <remarks>
/// The instance keeps the protocol's state between the stages of a round (secret keys, shares held for others), so it
/// must outlive the exchanges of one round: one instance per client identity. Not thread-safe: one message at a time.
/// </remarks>
public interface ISecureAggregationClient
{
    /// <summary>Answers one stage message of the protocol; <c>null</c> when <paramref name="message"/> is not one of the protocol's kinds.</summary>
    /// <param name="clientId">The client's identity.</param>
    /// <param name="message">The server's message.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <exception cref="InvalidOperationException">The message is replayed, out of order or for another round; the client reports it as an error.</exception>
    Task<ClientMessage?> HandleAsync(string clientId, ServerMessage message, CancellationToken cancellationToken);

    /// <summary>Turns the (privatized) delta into the protected payload the server can only sum.</summary>
    /// <param name="clientId">The client's identity.</param>
    /// <param name="round">The round, which must be the one the set-up ran for.</param>
    /// <param name="delta">The delta; not modified.</param>
    /// <param name="exampleCount">The client's example count, its weight in the mean.</param>
    /// <param name="seed">Seed for the non-secret randomness (stochastic rounding), for reproducible runs.</param>
    /// <exception cref="InvalidOperationException">The set-up for <paramref name="round"/> has not completed.</exception>
    UpdatePayload Protect(string clientId, int round, ReadOnlySpan<float> delta, long exampleCount, ulong seed);
}
