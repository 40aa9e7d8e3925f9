namespace FedLearn.SecureAggregation;

/// <summary>
/// The server's side of a secure-aggregation protocol (pairwise masking, additive homomorphic encryption, ...): the
/// server learns only the example-weighted mean of the clients' deltas, never one client's delta. When a
/// <see cref="Server.ServerPipeline"/> holds one, the round runs <see cref="SetUpAsync"/> with the sampled clients
/// before training, sends the training instruction only to the clients that completed the set-up, and hands the
/// protected updates to <see cref="AggregateAsync"/> instead of decoding, screening and aggregating them.
/// </summary>
/// <remarks>
/// The protocol's stages are ordinary <see cref="Transport.ServerMessage"/>/<see cref="Transport.ClientMessage"/>
/// exchanges through <see cref="ISecureAggregationStages"/>, so the protocol runs over any transport. Screening and the
/// pipeline's <see cref="IAggregator"/> are not applied: they need individual updates, which the server does not see.
/// One instance serves one server; rounds run one at a time.
/// </remarks>
public interface ISecureAggregationProtocol
{
    /// <summary>Short name for logs and results (for example <c>secagg+</c>, <c>paillier</c>).</summary>
    string Name { get; }

    /// <summary>Runs the stages before training (key agreement and the like) with the sampled clients.</summary>
    /// <param name="round">The round (1-based).</param>
    /// <param name="sampled">The sampled clients, in the round's order.</param>
    /// <param name="modelLength">Number of model parameters.</param>
    /// <param name="stages">Sends one stage's messages and collects the replies.</param>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>The clients that go on to training, or why the round cannot go on.</returns>
    Task<SecureAggregationSetup> SetUpAsync(int round, IReadOnlyList<string> sampled, int modelLength, ISecureAggregationStages stages, CancellationToken cancellationToken);

    /// <summary>
    /// Combines the protected updates that arrived (in participant order) into the example-weighted mean delta,
    /// running whatever stages the protocol needs after training (unmasking, decryption).
    /// </summary>
    /// <param name="round">The round.</param>
    /// <param name="updates">The updates that arrived, each checked for client id, round and example count; their payloads are the protocol's.</param>
    /// <param name="destination">Receives the mean delta; fully overwritten when the result succeeds.</param>
    /// <param name="stages">Sends one stage's messages and collects the replies.</param>
    /// <param name="cancellationToken">Cancels the round.</param>
    Task<SecureAggregationResult> AggregateAsync(int round, IReadOnlyList<ClientUpdate> updates, Memory<float> destination, ISecureAggregationStages stages, CancellationToken cancellationToken);
}
