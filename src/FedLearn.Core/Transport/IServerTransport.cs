namespace FedLearn.Transport;

/// <summary>
/// The server's side of a transport: which clients are connected, and one request/reply exchange with one
/// client. A round is any number of exchanges, so multi-stage protocols run over the same transport.
/// Implementations are thread-safe: the server exchanges with many clients at once.
/// </summary>
public interface IServerTransport
{
    /// <summary>The ids of the clients connected now, in no particular order.</summary>
    IReadOnlyCollection<string> GetAvailableClients();

    /// <summary>Sends <paramref name="message"/> to one client and waits for its reply.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled (the round's deadline passed).</exception>
    /// <exception cref="ClientUnavailableException">The client is not connected or dropped during the exchange.</exception>
    Task<ClientMessage> SendAsync(string clientId, ServerMessage message, CancellationToken cancellationToken);
}
