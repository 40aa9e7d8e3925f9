namespace FedLearn.Transport.Grpc.Client;

/// <summary>
/// The instructions a client is working on or has answered, by exchange id, kept across reconnections: when the
/// server sends an open exchange again after a reconnect, the client delivers the reply it has (or is computing)
/// instead of training twice. Keeps the most recent few. Thread-safe.
/// </summary>
internal sealed class ClientExchanges(IClientMessageHandler handler)
{
    private const int Remembered = 16;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Task<ClientMessage>> _work = [];
    private readonly Queue<ulong> _order = new();

    public Task<ClientMessage> GetOrStart(ulong exchangeId, ServerMessage message, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_work.TryGetValue(exchangeId, out Task<ClientMessage>? existing))
            {
                return existing;
            }

            Task<ClientMessage> started = Task.Run(() => handler.HandleAsync(message, cancellationToken), cancellationToken);
            _work.Add(exchangeId, started);
            _order.Enqueue(exchangeId);
            while (_order.Count > Remembered)
            {
                _work.Remove(_order.Dequeue());
            }

            return started;
        }
    }
}
