namespace FedLearn.Transport;

/// <summary>
/// The client side of the <see cref="InMemoryTransport"/>: <see cref="RunAsync"/> connects the client to the
/// in-process server and serves it until cancelled, as a network client would.
/// </summary>
public sealed class InMemoryClientTransport : IClientTransport
{
    private readonly InMemoryTransport _server;

    /// <summary>Creates the client side of <paramref name="server"/>.</summary>
    public InMemoryClientTransport(InMemoryTransport server)
    {
        ArgumentNullException.ThrowIfNull(server);
        _server = server;
    }

    /// <inheritdoc />
    public async Task RunAsync(string clientId, IClientMessageHandler handler, CancellationToken cancellationToken)
    {
        using IDisposable registration = _server.Connect(clientId, handler);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancellation is how a client stops.
        }
    }
}
