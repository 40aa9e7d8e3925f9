namespace FedLearn.Samples.Shared.Pipeline;

/// <summary>
/// Which side configures what, and the rule both apps apply to an offer and its answer, so that a client and a server
/// configured differently both stop at once, naming the setting, instead of failing every round.
/// </summary>
/// <remarks>
/// The server chooses the secure-aggregation protocol (and its parameters) and client-level DP; each client chooses
/// sample-level DP (DP-SGD). The protocol name must be the same on both sides (the clients need no SecAgg+ parameters:
/// the server sends them, and Paillier's packing parameters travel in the offer), a Paillier client's secret key must
/// belong to the server's public key (their fingerprints match), and a federation runs one kind of DP.
/// </remarks>
internal static class PipelineCheck
{
    /// <summary>
    /// How a client's error reply starts when an instruction reached it before any offer (its process restarted and
    /// resumed an exchange the server sent its previous process); the server then checks it and sends the instruction again.
    /// </summary>
    public const string NotChecked = "settings not checked";

    /// <summary>
    /// What is wrong with a client configured as <paramref name="clientSecure"/>/<paramref name="clientDp"/>, holding the
    /// Paillier key <paramref name="clientKeyFingerprint"/>, under <paramref name="offer"/>, or <c>null</c>.
    /// </summary>
    public static string? Problem(PipelineOffer offer, string clientId, string clientSecure, string clientDp, string? clientKeyFingerprint)
    {
        if (offer.SecureAggregation != clientSecure)
        {
            return offer.SecureAggregation == "none"
                ? $"client '{clientId}' is configured for secure aggregation '{clientSecure}' but the server runs without it: set FedLearn:Server:SecureAggregation (--secure-aggregation) on the server, or none on the client."
                : clientSecure == "none"
                ? $"the server runs secure aggregation '{offer.SecureAggregation}' but client '{clientId}' is configured without it: set FedLearn:Client:SecureAggregation (--secure-aggregation) to {offer.SecureAggregation} on every client."
                : $"the server runs secure aggregation '{offer.SecureAggregation}' but client '{clientId}' is configured for '{clientSecure}': use the same protocol on both sides.";
        }

        if (offer.SecureAggregation == "paillier" && offer.KeyFingerprint != clientKeyFingerprint)
        {
            return $"client '{clientId}' holds the Paillier secret key of public key {clientKeyFingerprint ?? "(none)"}, but the server's public key is {offer.KeyFingerprint ?? "(none)"}: the client's key does not belong to this federation; give every client the secret key that matches FedLearn:Server:PaillierPublicKey (FedLearn:Client:PaillierSecretKey, --paillier-secret-key).";
        }

        if (offer.Dp != "none" && clientDp != "none")
        {
            return $"the server runs client-level DP ('{offer.Dp}') and client '{clientId}' runs DP-SGD ('{clientDp}'): a federation runs one kind of DP; set FedLearn:Client:Dp or FedLearn:Server:Dp to none.";
        }

        return null;
    }
}
