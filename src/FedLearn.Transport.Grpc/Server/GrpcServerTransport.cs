using System.Collections.Concurrent;
using FedLearn.Options;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>
/// The server's side of the gRPC transport: clients connect to the <c>fedlearn.v1.Federation</c> service (mapped
/// with <c>MapFedLearnFederation</c>) and hold one stream each; <see cref="SendAsync"/> sends an instruction down a
/// client's stream in chunks and waits for the reply. A client that drops and reconnects within
/// <see cref="GrpcServerOptions.ReconnectGracePeriod"/> keeps its id and its open exchanges, which are sent again.
/// Thread-safe.
/// </summary>
public sealed partial class GrpcServerTransport : IServerTransport
{
    private readonly GrpcServerOptions _options;
    private readonly MessageEncoder _encoder;
    private readonly IMessageSerializer[] _serializers;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ClientRecord> _clients = new(StringComparer.Ordinal);
    private long _nextExchangeId;
    private long _rejectedSubmissions;
    private long _bytesSent;
    private long _bytesReceived;
    private volatile string? _shutdownReason;
    private volatile bool _shutdownCompleted;

    /// <summary>Creates the transport; the options are validated now.</summary>
    /// <param name="options">Settings; defaults when <see langword="null"/>.</param>
    /// <param name="serializers">Serializers of the message kinds other packages add (secure aggregation stages).</param>
    /// <param name="logger">Logger.</param>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message lists every error.</exception>
    public GrpcServerTransport(GrpcServerOptions? options = null, IEnumerable<IMessageSerializer>? serializers = null, ILogger<GrpcServerTransport>? logger = null)
    {
        _options = options ?? new GrpcServerOptions();
        OptionsValidation.ThrowIfInvalid(_options, nameof(GrpcServerOptions));
        _serializers = serializers?.ToArray() ?? [];
        _encoder = new MessageEncoder(_serializers);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The settings in use.</summary>
    public GrpcServerOptions Options => _options;

    /// <summary>Submissions refused so far (another round, a second submission, a closed exchange).</summary>
    public long RejectedSubmissions => Interlocked.Read(ref _rejectedSubmissions);

    /// <summary>Body bytes of the instructions sent.</summary>
    public long BytesSent => Interlocked.Read(ref _bytesSent);

    /// <summary>Body bytes of the replies received.</summary>
    public long BytesReceived => Interlocked.Read(ref _bytesReceived);

    internal TransportLimits Limits => new(_options.ChunkBytes, _options.MaxMessageBytes, _options.MaxTensors);

    /// <inheritdoc />
    public IReadOnlyCollection<string> GetAvailableClients() =>
        _clients.Values.Where(c => c.Session is not null).Select(c => c.ClientId).ToArray();

    /// <summary>Every client id that ever connected, connected now or not.</summary>
    public IReadOnlyCollection<string> GetKnownClients() => _clients.Keys.ToArray();

    /// <summary>Waits until at least <paramref name="count"/> clients are connected.</summary>
    /// <exception cref="TimeoutException">They did not connect within <paramref name="timeout"/>.</exception>
    public async Task WaitForClientsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            while (GetAvailableClients().Count < count)
            {
                await Task.Delay(50, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Only {GetAvailableClients().Count} of {count} clients connected within {timeout}.");
        }
    }

    /// <inheritdoc />
    public async Task<ClientMessage> SendAsync(string clientId, ServerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(message);
        if (_shutdownReason is { } reason)
        {
            throw new ClientUnavailableException(clientId, $"The server is shutting down: {reason}");
        }

        if (!_clients.TryGetValue(clientId, out ClientRecord? record) || record.Session is null)
        {
            throw new ClientUnavailableException(clientId, $"Client '{clientId}' is not connected.");
        }

        OutgoingMessage encoded = _encoder.Encode(message);
        ulong id = (ulong)Interlocked.Increment(ref _nextExchangeId);
        encoded.Start.ExchangeId = id;
        PendingExchange exchange = record.Open(id, message, encoded);
        try
        {
            if (record.Session is { } session)
            {
                _ = SendOnAsync(session, exchange, cancellationToken);
            }

            ClientMessage reply = await exchange.Reply.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return reply;
        }
        finally
        {
            record.Close(exchange);
        }
    }

    /// <summary>
    /// Tells every connected client that the federation stops, fails the open exchanges and closes the streams.
    /// Returns once those streams have ended, so the host can stop without cutting off their last frames.
    /// A client that connects from then on is told the same at once. A client that lost its stream within its
    /// <see cref="GrpcServerOptions.ReconnectGracePeriod"/> is waited for, so that it hears the notice when it
    /// reconnects instead of retrying against a server that has gone.
    /// </summary>
    /// <param name="reason">Told to the clients and logged.</param>
    /// <param name="completed">True when the federation finished its rounds (clients then stop for good).</param>
    /// <param name="cancellationToken">Stops waiting for the notices to be written and for reconnecting clients; pass a timeout.</param>
    public async Task ShutdownAsync(string reason, bool completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reason);
        _shutdownCompleted = completed;
        _shutdownReason = reason;
        _logger.LogInformation("Federation shutting down ({Reason}); telling {Count} connected clients", reason, GetAvailableClients().Count);
        var notices = new List<Task>();
        var sessions = new List<ClientSession>();
        foreach (ClientRecord record in _clients.Values)
        {
            record.FailAll($"was not asked further: the server is shutting down ({reason}).");
            if (record.Session is { } session)
            {
                sessions.Add(session);
                notices.Add(NotifyAndCloseAsync(record, session, reason, completed, cancellationToken));
            }
        }

        await Task.WhenAll(notices).ConfigureAwait(false);
        try
        {
            // The host may stop once this returns: the streams must have ended first, or stopping races their last frames.
            await Task.WhenAll(sessions.Select(s => s.Ended)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.LogWarning("Stopped waiting for {Count} client streams to end", sessions.Count(s => !s.Ended.IsCompleted));
        }

        await WaitForReconnectingClientsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Waits while a client that lost its stream within its reconnect grace period has not yet heard the notice, so
    /// that it can reconnect and be told rather than retry against a server that has gone; ends at the first of: every
    /// such client told, their grace periods over, or <paramref name="cancellationToken"/>.
    /// </summary>
    private async Task WaitForReconnectingClientsAsync(CancellationToken cancellationToken)
    {
        bool logged = false;
        while (true)
        {
            long now = Environment.TickCount64;
            string[] waiting = [.. _clients.Values.Where(c => c.MayReconnectUntold(now)).Select(c => c.ClientId)];
            if (waiting.Length == 0)
            {
                return;
            }

            if (!logged)
            {
                _logger.LogInformation("Waiting for {Count} reconnecting clients to hear the shutdown: {Clients}", waiting.Length, string.Join(", ", waiting));
                logged = true;
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                _logger.LogInformation("Stopped waiting for reconnecting clients; not told: {Clients}", string.Join(", ", waiting));
                return;
            }
        }
    }

    private async Task NotifyAndCloseAsync(ClientRecord record, ClientSession session, string reason, bool completed, CancellationToken cancellationToken)
    {
        try
        {
            await session.WriteAsync(new ServerFrame { Shutdown = new Shutdown { Reason = reason, Completed = completed } }, cancellationToken).ConfigureAwait(false);
            record.MarkToldOfShutdown();
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException or RpcException)
        {
            _logger.LogDebug(exception, "Could not tell client {ClientId} about the shutdown", session.ClientId);
        }
        finally
        {
            session.Close($"server shutdown: {reason}");
        }
    }

    private async Task SendOnAsync(ClientSession session, PendingExchange exchange, CancellationToken cancellationToken)
    {
        try
        {
            await session.SendAsync(exchange.Encoded, cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _bytesSent, exchange.Encoded.BodyLength);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The stage closed; the exchange is withdrawn by SendAsync.
        }
        catch (OperationCanceledException) when (session.WritesStopped)
        {
            // The stream is ending: the exchange stays open and is sent again if the client reconnects in time.
            _logger.LogDebug("Stream of client {ClientId} ended while exchange {ExchangeId} was being sent", session.ClientId, exchange.Id);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException or RpcException or ObjectDisposedException)
        {
            // The stream broke while sending: the exchange stays open and is sent again if the client reconnects in time.
            _logger.LogInformation("Sending exchange {ExchangeId} (round {Round}) to client {ClientId} failed: {Error}", exchange.Id, exchange.Message.Round, session.ClientId, exception.Message);
            session.Close("send failed");
        }
    }
}
