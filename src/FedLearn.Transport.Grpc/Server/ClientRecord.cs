namespace FedLearn.Transport.Grpc.Server;

/// <summary>
/// What the server knows about one client id across its connections: the stream it has now (if any), the exchanges
/// still waiting for its reply, and the exchanges it already answered. A client that reconnects within the grace
/// period gets its open exchanges again. Thread-safe.
/// </summary>
internal sealed class ClientRecord(string clientId)
{
    private const int AnsweredMemory = 256;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, PendingExchange> _pending = [];
    private readonly Queue<ulong> _answeredOrder = new();
    private readonly HashSet<ulong> _answered = [];
    private ClientSession? _session;
    private CancellationTokenSource? _grace;
    private long _reconnectDeadlineTicks;
    private bool _toldOfShutdown;

    public string ClientId { get; } = clientId;

    public ClientSession? Session
    {
        get
        {
            lock (_gate)
            {
                return _session;
            }
        }
    }

    /// <summary>Makes <paramref name="session"/> the client's stream; returns the previous one (to close) and the open exchanges (to send again).</summary>
    public (ClientSession? Replaced, PendingExchange[] Open) Attach(ClientSession session)
    {
        lock (_gate)
        {
            ClientSession? previous = _session;
            _session = session;
            _grace?.Cancel();
            _grace?.Dispose();
            _grace = null;
            return (previous, _pending.Values.ToArray());
        }
    }

    /// <summary>
    /// Forgets <paramref name="session"/> if it is still the current one. Open exchanges fail after
    /// <paramref name="grace"/> unless the client reconnects first (at once when the grace is zero).
    /// </summary>
    public bool Detach(ClientSession session, TimeSpan grace, string reason)
    {
        CancellationTokenSource timer;
        lock (_gate)
        {
            if (!ReferenceEquals(_session, session))
            {
                return false;
            }

            _session = null;
            _reconnectDeadlineTicks = grace > TimeSpan.Zero ? Environment.TickCount64 + (long)grace.TotalMilliseconds : 0;
            if (grace <= TimeSpan.Zero || _pending.Count == 0)
            {
                FailAllLocked(reason);
                return true;
            }

            timer = _grace = new CancellationTokenSource();
        }

        _ = ExpireAsync(grace, reason, timer.Token);
        return true;
    }

    /// <summary>Records that the client heard the shutdown notice.</summary>
    public void MarkToldOfShutdown()
    {
        lock (_gate)
        {
            _toldOfShutdown = true;
        }
    }

    /// <summary>
    /// True while the client is between connections within its grace period and has not heard the shutdown notice:
    /// it may still reconnect and be told, rather than retry against a server that is gone.
    /// </summary>
    public bool MayReconnectUntold(long nowTicks)
    {
        lock (_gate)
        {
            return _session is null && !_toldOfShutdown && nowTicks < _reconnectDeadlineTicks;
        }
    }

    public PendingExchange Open(ulong id, ServerMessage message, Framing.OutgoingMessage encoded)
    {
        var exchange = new PendingExchange(id, message, encoded);
        lock (_gate)
        {
            _pending.Add(id, exchange);
        }

        return exchange;
    }

    public void Close(PendingExchange exchange)
    {
        lock (_gate)
        {
            _pending.Remove(exchange.Id);
        }
    }

    /// <summary>Finds the open exchange a reply answers, or says why there is none.</summary>
    public PendingExchange? Find(ulong id, out string? refusal)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(id, out PendingExchange? exchange))
            {
                refusal = null;
                return exchange;
            }

            refusal = _answered.Contains(id)
                ? $"a second submission for exchange {id}, which this client already answered"
                : $"no open exchange {id} for this client (it closed, or never existed)";
            return null;
        }
    }

    /// <summary>Completes an exchange with its reply; false when it is no longer open.</summary>
    public bool Complete(ulong id, ClientMessage reply)
    {
        PendingExchange? exchange;
        lock (_gate)
        {
            if (!_pending.Remove(id, out exchange))
            {
                return false;
            }

            _answered.Add(id);
            _answeredOrder.Enqueue(id);
            if (_answeredOrder.Count > AnsweredMemory)
            {
                _answered.Remove(_answeredOrder.Dequeue());
            }
        }

        return exchange.Reply.TrySetResult(reply);
    }

    /// <summary>Fails every open exchange (shutdown, or the client left).</summary>
    public void FailAll(string reason)
    {
        lock (_gate)
        {
            FailAllLocked(reason);
        }
    }

    private void FailAllLocked(string reason)
    {
        foreach (PendingExchange exchange in _pending.Values)
        {
            exchange.Reply.TrySetException(new ClientUnavailableException(ClientId, $"Client '{ClientId}' {reason}"));
        }

        _pending.Clear();
    }

    private async Task ExpireAsync(TimeSpan grace, string reason, CancellationToken reconnected)
    {
        try
        {
            await Task.Delay(grace, reconnected).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        lock (_gate)
        {
            if (_session is null && !reconnected.IsCancellationRequested)
            {
                FailAllLocked($"{reason} and did not reconnect within {grace}.");
            }
        }
    }
}
