namespace FedLearn.Transport;

/// <summary>
/// The client's side of a transport: connects out to the server, receives instructions and returns the
/// handler's replies until cancelled.
/// </summary>
public interface IClientTransport
{
    /// <summary>Serves the server's instructions with <paramref name="handler"/> until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(string clientId, IClientMessageHandler handler, CancellationToken cancellationToken);
}

/// <summary>Turns a server instruction into the client's reply. FedLearn.Client.FederatedClient is the standard one.</summary>
public interface IClientMessageHandler
{
    /// <summary>Handles one instruction.</summary>
    Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken);
}
