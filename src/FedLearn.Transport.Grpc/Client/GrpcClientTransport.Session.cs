using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;

namespace FedLearn.Transport.Grpc.Client;

public sealed partial class GrpcClientTransport
{
    private async Task<SessionEnd> RunSessionAsync(string clientId, ClientExchanges exchanges, CancellationToken cancellationToken)
    {
        using GrpcChannel channel = _channels.Create(Limits.MaxGrpcMessageBytes);
        // The call outlives the caller's token by a moment, so that a stopping client can still say goodbye.
        using var session = new CancellationTokenSource();
        using AsyncDuplexStreamingCall<ClientFrame, ServerFrame> call = channel.CreateCallInvoker().AsyncDuplexStreamingCall(FederationMethod.Connect, null, new CallOptions(cancellationToken: session.Token));
        var writeLock = new SemaphoreSlim(1, 1);
        long lastWrite = Environment.TickCount64;

        async Task WriteAsync(Func<Task> write)
        {
            await writeLock.WaitAsync(session.Token).ConfigureAwait(false);
            try
            {
                await write().ConfigureAwait(false);
                Interlocked.Exchange(ref lastWrite, Environment.TickCount64);
            }
            finally
            {
                writeLock.Release();
            }
        }

        // Handshake: Hello, then the Welcome within the handshake timeout; failures here are retried with backoff.
        try
        {
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(session.Token, cancellationToken);
            await call.RequestStream.WriteAsync(new ClientFrame { Hello = new Hello { ClientId = clientId, ProtocolVersion = 1, MaxChunkBytes = (uint)_options.ChunkBytes } }, handshake.Token).ConfigureAwait(false);
            handshake.CancelAfter(_options.HandshakeTimeout);
            if (!await call.ResponseStream.MoveNext(handshake.Token).ConfigureAwait(false) || call.ResponseStream.Current.BodyCase != ServerFrame.BodyOneofCase.Welcome)
            {
                throw new ConnectFailedException("the server did not welcome the client.");
            }
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated or StatusCode.FailedPrecondition or StatusCode.InvalidArgument)
        {
            _logger.LogError("Client {ClientId}: the server refused the connection: {Status}", clientId, exception.Status.Detail);
            throw;
        }
        catch (RpcException exception)
        {
            string detail = _channels.LastServerCertificateError is { } certificateError ? $"{exception.Status.Detail} ({certificateError})" : exception.Status.Detail;
            throw new ConnectFailedException($"{exception.StatusCode}: {detail}", exception);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ConnectFailedException($"no Welcome within {_options.HandshakeTimeout}.");
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException or InvalidOperationException)
        {
            throw new ConnectFailedException(exception.Message, exception);
        }

        Welcome welcome = call.ResponseStream.Current.Welcome;
        int connection = Interlocked.Increment(ref _connections);
        _logger.LogInformation("Client {ClientId} connected to {Server} (connection {Connection}{Resumed})", welcome.ClientId, _options.ServerAddress, connection, welcome.Resumed ? ", resumed" : string.Empty);
        int peerChunk = welcome.MaxChunkBytes == 0 ? _options.ChunkBytes : (int)Math.Min(welcome.MaxChunkBytes, (uint)_options.ChunkBytes);

        Task heartbeat = HeartbeatLoopAsync(WriteAsync, call.RequestStream, () => Interlocked.Read(ref lastWrite), writeLock, session.Token);
        var assembler = new MessageAssembler(Limits, _serializers, receivesReplies: false);
        using var dropout = CancellationTokenSource.CreateLinkedTokenSource(session.Token, cancellationToken);
        try
        {
            while (true)
            {
                dropout.CancelAfter(_options.DropoutTimeout);
                if (!await call.ResponseStream.MoveNext(dropout.Token).ConfigureAwait(false))
                {
                    _logger.LogWarning("Client {ClientId}: the server closed the stream", clientId);
                    return SessionEnd.Lost;
                }

                ServerFrame frame = call.ResponseStream.Current;
                AssembledMessage? done = null;
                switch (frame.BodyCase)
                {
                    case ServerFrame.BodyOneofCase.Heartbeat:
                        break;
                    case ServerFrame.BodyOneofCase.Shutdown:
                        ShutdownReason = frame.Shutdown.Reason;
                        FederationCompleted = frame.Shutdown.Completed;
                        _logger.LogInformation("Client {ClientId}: the server shut down the federation ({Reason})", clientId, frame.Shutdown.Reason);
                        return SessionEnd.Stop;
                    case ServerFrame.BodyOneofCase.Rejected:
                        _logger.LogWarning("Client {ClientId}: the server rejected the reply to exchange {ExchangeId}: {Reason}", clientId, frame.Rejected.ExchangeId, frame.Rejected.Reason);
                        break;
                    case ServerFrame.BodyOneofCase.Start:
                        done = assembler.Begin(frame.Start);
                        break;
                    case ServerFrame.BodyOneofCase.Chunk:
                        try
                        {
                            done = assembler.Append(frame.Chunk);
                        }
                        finally
                        {
                            PooledChunkData.Return(frame.Chunk.Data);
                        }

                        break;
                    default:
                        _logger.LogWarning("Client {ClientId}: ignoring an unexpected {Frame} frame", clientId, frame.BodyCase);
                        break;
                }

                if (done is { Message: ServerMessage instruction } message)
                {
                    _logger.LogInformation("Client {ClientId}: exchange {ExchangeId} for round {Round} received ({Kind}, {Bytes} bytes)", clientId, message.ExchangeId, message.Round, instruction.GetType().Name, message.BodyLength);
                    Task<ClientMessage> work = exchanges.GetOrStart(message.ExchangeId, instruction, cancellationToken);
                    _ = DeliverAsync(clientId, message.ExchangeId, work, WriteAsync, call.RequestStream, peerChunk, session.Token);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await LeaveAsync(call, writeLock).ConfigureAwait(false);
            return SessionEnd.Stop;
        }
        catch (OperationCanceledException) when (dropout.IsCancellationRequested)
        {
            _logger.LogWarning("Client {ClientId}: nothing from the server for {Timeout}; reconnecting", clientId, _options.DropoutTimeout);
            return SessionEnd.Lost;
        }
        catch (ProtocolViolationException violation)
        {
            _logger.LogError("Client {ClientId}: the server broke the protocol: {Message}; reconnecting", clientId, violation.Message);
            return SessionEnd.Lost;
        }
        catch (RpcException exception) when (exception.StatusCode is StatusCode.PermissionDenied or StatusCode.Unauthenticated)
        {
            _logger.LogError("Client {ClientId}: the server refused the client: {Status}", clientId, exception.Status.Detail);
            throw;
        }
        catch (Exception exception) when (exception is RpcException or IOException or HttpRequestException or InvalidOperationException)
        {
            _logger.LogWarning("Client {ClientId}: connection lost ({Error}); reconnecting", clientId, exception.Message);
            return SessionEnd.Lost;
        }
        finally
        {
            assembler.Reset();
            await session.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    private async Task DeliverAsync(string clientId, ulong exchangeId, Task<ClientMessage> work, Func<Func<Task>, Task> write, IClientStreamWriter<ClientFrame> stream, int chunkBytes, CancellationToken sessionToken)
    {
        try
        {
            ClientMessage reply = await work.WaitAsync(sessionToken).ConfigureAwait(false);
            OutgoingMessage encoded = _encoder.Encode(reply);
            encoded.Start.ExchangeId = exchangeId;
            await write(() => ChunkedWriter.WriteAsync(stream, encoded, static s => new ClientFrame { Start = s }, static c => new ClientFrame { Chunk = c }, chunkBytes, sessionToken)).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The connection ended; the reply is kept and delivered when the server asks again after a reconnect.
        }
        catch (Exception exception) when (exception is RpcException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogInformation("Client {ClientId}: delivering exchange {ExchangeId} failed ({Error}); it is delivered after reconnecting", clientId, exchangeId, exception.Message);
        }
        catch (NotSupportedException exception)
        {
            _logger.LogError(exception, "Client {ClientId}: the reply to exchange {ExchangeId} cannot be sent", clientId, exchangeId);
        }
    }

    private async Task HeartbeatLoopAsync(Func<Func<Task>, Task> write, IClientStreamWriter<ClientFrame> stream, Func<long> lastWrite, SemaphoreSlim writeLock, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.HeartbeatInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                // A message being written is proof of life enough; so is a recent write.
                if (writeLock.CurrentCount == 0 || Environment.TickCount64 - lastWrite() < (long)_options.HeartbeatInterval.TotalMilliseconds / 2)
                {
                    continue;
                }

                await write(() => stream.WriteAsync(new ClientFrame { Heartbeat = new Heartbeat { SentUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } }, cancellationToken)).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or RpcException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            // The connection ended.
        }
    }

    private async Task LeaveAsync(AsyncDuplexStreamingCall<ClientFrame, ServerFrame> call, SemaphoreSlim writeLock)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await writeLock.WaitAsync(timeout.Token).ConfigureAwait(false);
            await call.RequestStream.WriteAsync(new ClientFrame { Goodbye = new Goodbye { Reason = "the client is stopping" } }, timeout.Token).ConfigureAwait(false);
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or RpcException or IOException or InvalidOperationException or ObjectDisposedException)
        {
            _logger.LogDebug(exception, "Could not say goodbye to the server");
        }
    }
}
