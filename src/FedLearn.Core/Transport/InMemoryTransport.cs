using System.Collections.Concurrent;

namespace FedLearn.Transport;

/// <summary>
/// The embedded transport: server and clients in one process. Clients are either connected live
/// (<see cref="Connect"/>, the mirror of a network client) or registered lazily (<see cref="RegisterLazy"/>): a lazy
/// client is materialised by its factory only for the exchange it is sampled for and dropped afterwards, so a
/// simulation of many thousands of clients holds only the few that are working. At most
/// <see cref="InMemoryTransportOptions.MaxParallelism"/> exchanges run at once. Thread-safe.
/// </summary>
public sealed class InMemoryTransport : IServerTransport
{
    private readonly ConcurrentDictionary<string, IClientMessageHandler> _live = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<string, IClientMessageHandler>> _lazy = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private long _bytesSent;
    private long _bytesReceived;

    /// <summary>Creates a transport.</summary>
    public InMemoryTransport(InMemoryTransportOptions? options = null)
    {
        options ??= new InMemoryTransportOptions();
        Options.OptionsValidation.ThrowIfInvalid(options, nameof(InMemoryTransportOptions));
        _slots = new SemaphoreSlim(options.MaxParallelism, options.MaxParallelism);
    }

    /// <summary>Total bytes of the instructions delivered to clients.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Total bytes of the replies received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    /// <summary>Connects a live client; dispose the result to disconnect it.</summary>
    /// <exception cref="InvalidOperationException">A client with that id is already connected or registered.</exception>
    public IDisposable Connect(string clientId, IClientMessageHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(handler);
        if (_lazy.ContainsKey(clientId) || !_live.TryAdd(clientId, handler))
        {
            throw new InvalidOperationException($"A client with id '{clientId}' is already connected.");
        }

        return new Registration(this, clientId, handler);
    }

    /// <summary>
    /// Registers clients that are created on demand by <paramref name="factory"/> for each exchange. A handler that is
    /// <see cref="IAsyncDisposable"/> or <see cref="IDisposable"/> is disposed after its exchange.
    /// </summary>
    public void RegisterLazy(IEnumerable<string> clientIds, Func<string, IClientMessageHandler> factory)
    {
        ArgumentNullException.ThrowIfNull(clientIds);
        ArgumentNullException.ThrowIfNull(factory);
        foreach (string clientId in clientIds)
        {
            if (_live.ContainsKey(clientId) || !_lazy.TryAdd(clientId, factory))
            {
                throw new InvalidOperationException($"A client with id '{clientId}' is already registered.");
            }
        }
    }

    /// <summary>Removes a lazily registered client (as if it went offline).</summary>
    public bool Unregister(string clientId) => _lazy.TryRemove(clientId, out _);

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetAvailableClients() => _live.Keys.Concat(_lazy.Keys).ToArray();

    /// <inheritdoc />
    public async Task<ClientMessage> SendAsync(string clientId, ServerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(message);
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            IClientMessageHandler handler;
            bool created = false;
            if (_live.TryGetValue(clientId, out IClientMessageHandler? live))
            {
                handler = live;
            }
            else if (_lazy.TryGetValue(clientId, out Func<string, IClientMessageHandler>? factory))
            {
                handler = factory(clientId);
                created = true;
            }
            else
            {
                throw new ClientUnavailableException(clientId, $"Client '{clientId}' is not connected.");
            }

            try
            {
                Interlocked.Add(ref _bytesSent, message.ByteSize);
                ClientMessage reply = await handler.HandleAsync(message, cancellationToken).ConfigureAwait(false);
                Interlocked.Add(ref _bytesReceived, reply.ByteSize);
                return reply;
            }
            finally
            {
                if (created)
                {
                    await DisposeAsync(handler).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private static async ValueTask DisposeAsync(IClientMessageHandler handler)
    {
        if (handler is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync().ConfigureAwait(false);
        }
        else if (handler is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    private sealed class Registration(InMemoryTransport owner, string clientId, IClientMessageHandler handler) : IDisposable
    {
        public void Dispose() => owner._live.TryRemove(new KeyValuePair<string, IClientMessageHandler>(clientId, handler));
    }
}
