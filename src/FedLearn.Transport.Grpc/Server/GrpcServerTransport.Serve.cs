using System.Security.Cryptography.X509Certificates;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using FedLearn.Transport.Grpc.Security;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace FedLearn.Transport.Grpc.Server;

public sealed partial class GrpcServerTransport
{
    /// <summary>How long a stream that ends waits for the frame being written to it.</summary>
    private static readonly TimeSpan StopWritesTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Serves one client's federation stream until it ends; called by the gRPC service.</summary>
    internal async Task ServeAsync(IAsyncStreamReader<ClientFrame> requests, IServerStreamWriter<ServerFrame> responses, ServerCallContext context)
    {
        string clientId = await HandshakeAsync(requests, context).ConfigureAwait(false);
        bool resumed = _clients.TryGetValue(clientId, out ClientRecord? record);
        record ??= _clients.GetOrAdd(clientId, id => new ClientRecord(id));
        using var session = new ClientSession(clientId, responses, _options.ChunkBytes, context.CancellationToken);
        await session.WriteAsync(
            new ServerFrame
            {
                Welcome = new Welcome
                {
                    ClientId = clientId,
                    Resumed = resumed,
                    HeartbeatIntervalMs = (uint)_options.HeartbeatInterval.TotalMilliseconds,
                    MaxChunkBytes = (uint)_options.ChunkBytes,
                },
            },
            context.CancellationToken).ConfigureAwait(false);

        (ClientSession? replaced, PendingExchange[] open) = record.Attach(session);
        replaced?.Close("replaced by a newer connection of the same client");
        if (_shutdownReason is { } reason)
        {
            // The federation ended while this client was between connections (or before it came): it is told so, the
            // way connected clients were, instead of being refused and retrying against a server that is about to go.
            // ShutdownAsync sets the reason before it walks the clients, so either it found this session or this sees it.
            _logger.LogInformation("Client {ClientId} connected after the shutdown; telling it the federation ended ({Reason})", clientId, reason);
            try
            {
                await NotifyAndCloseAsync(record, session, reason, _shutdownCompleted, context.CancellationToken).ConfigureAwait(false);
                await session.StopWritesAsync(StopWritesTimeout).ConfigureAwait(false);
                record.Detach(session, TimeSpan.Zero, $"was not asked further: the server is shutting down ({reason}).");
            }
            finally
            {
                session.MarkEnded();
            }

            return;
        }

        GrpcTransportTelemetry.ConnectedClients.Add(1);
        GrpcTransportTelemetry.Connections.Add(1, new KeyValuePair<string, object?>("fedlearn.resumed", resumed));
        _logger.LogInformation("Client {ClientId} connected from {Peer}{Resumed}", clientId, context.Peer, resumed ? " (resumed)" : string.Empty);
        foreach (PendingExchange exchange in open)
        {
            _logger.LogInformation("Sending open exchange {ExchangeId} (round {Round}) again to reconnected client {ClientId}", exchange.Id, exchange.Message.Round, clientId);
            _ = SendOnAsync(session, exchange, CancellationToken.None);
        }

        using var heartbeats = CancellationTokenSource.CreateLinkedTokenSource(session.Closing);
        Task heartbeatLoop = HeartbeatLoopAsync(session, heartbeats.Token);
        string endReason = "disconnected";
        try
        {
            endReason = await ReadLoopAsync(record, session, requests).ConfigureAwait(false);
        }
        catch (ProtocolViolationException violation)
        {
            endReason = $"broke the protocol: {violation.Message}";
            GrpcTransportTelemetry.ProtocolErrors.Add(1, new KeyValuePair<string, object?>("rpc.grpc.status_code", violation.Code.ToString()));
            _logger.LogWarning("Client {ClientId} broke the protocol ({Code}): {Message}", clientId, violation.Code, violation.Message);
            throw violation.ToRpcException();
        }
        finally
        {
            // The call ends with its status only once no write is in flight (first, so no heartbeat is cancelled mid-write).
            await session.StopWritesAsync(StopWritesTimeout).ConfigureAwait(false);
            await heartbeats.CancelAsync().ConfigureAwait(false);
            await heartbeatLoop.ConfigureAwait(false);
            // A client that left or broke the protocol gets no grace: its open exchanges fail now.
            bool final = endReason == "left" || endReason.StartsWith("broke the protocol", StringComparison.Ordinal);
            bool current = record.Detach(session, final ? TimeSpan.Zero : _options.ReconnectGracePeriod, endReason);
            GrpcTransportTelemetry.ConnectedClients.Add(-1);
            if (current && endReason != "left" && session.CloseReason is null)
            {
                GrpcTransportTelemetry.Dropouts.Add(1);
            }

            _logger.LogInformation("Client {ClientId} stream ended: {Reason}", clientId, session.CloseReason ?? endReason);
            session.MarkEnded();
        }
    }

    private async Task<string> HandshakeAsync(IAsyncStreamReader<ClientFrame> requests, ServerCallContext context)
    {
        string? certificateId = null;
        X509Certificate2? certificate = context.GetHttpContext().Connection.ClientCertificate;
        if (certificate is not null)
        {
            certificateId = ClientCertificateIdentity.GetClientId(certificate);
            if (certificateId is null)
            {
                throw new RpcException(new Status(StatusCode.PermissionDenied, $"The client certificate '{certificate.Subject}' carries no FedLearn client id."));
            }
        }
        else if (_options.RequireClientCertificate)
        {
            throw new RpcException(new Status(StatusCode.Unauthenticated, "A client certificate issued by the federation's CA is required."));
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken);
        timeout.CancelAfter(_options.HandshakeTimeout);
        bool any;
        try
        {
            any = await requests.MoveNext(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!context.CancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.DeadlineExceeded, $"No Hello within {_options.HandshakeTimeout}."));
        }

        if (!any || requests.Current.BodyCase != ClientFrame.BodyOneofCase.Hello)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "The first frame of a federation stream must be Hello."));
        }

        Hello hello = requests.Current.Hello;
        if (hello.ProtocolVersion != 1)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Protocol version {hello.ProtocolVersion} is not supported; this server speaks version 1."));
        }

        if (certificateId is not null && !string.Equals(hello.ClientId, certificateId, StringComparison.Ordinal))
        {
            GrpcTransportTelemetry.Rejections.Add(1, new KeyValuePair<string, object?>("fedlearn.reason", "identity"));
            _logger.LogWarning("Refused a stream from {Peer}: its certificate is for client '{CertificateId}' but it said it is '{ClaimedId}'", context.Peer, certificateId, hello.ClientId);
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"The certificate identifies client '{certificateId}'; a client may connect only as itself, not as '{hello.ClientId}'."));
        }

        string clientId = certificateId ?? hello.ClientId;
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "Hello carries no client id."));
        }

        return clientId;
    }

    private async Task<string> ReadLoopAsync(ClientRecord record, ClientSession session, IAsyncStreamReader<ClientFrame> requests)
    {
        var assembler = new MessageAssembler(Limits, _serializers, receivesReplies: true);
        PendingExchange? receiving = null;
        using var dropout = CancellationTokenSource.CreateLinkedTokenSource(session.Closing);
        try
        {
            while (true)
            {
                dropout.CancelAfter(_options.DropoutTimeout);
                if (!await requests.MoveNext(dropout.Token).ConfigureAwait(false))
                {
                    return "closed the stream";
                }

                ClientFrame frame = requests.Current;
                AssembledMessage? done = null;
                switch (frame.BodyCase)
                {
                    case ClientFrame.BodyOneofCase.Heartbeat:
                        break;
                    case ClientFrame.BodyOneofCase.Goodbye:
                        _logger.LogInformation("Client {ClientId} left: {Reason}", session.ClientId, frame.Goodbye.Reason);
                        return "left";
                    case ClientFrame.BodyOneofCase.Start:
                        receiving = Admit(record, session, frame.Start, out bool accepted);
                        done = assembler.Begin(frame.Start, discard: !accepted);
                        break;
                    case ClientFrame.BodyOneofCase.Chunk:
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
                        throw new ProtocolViolationException(StatusCode.InvalidArgument, $"unexpected {frame.BodyCase} frame after the handshake.");
                }

                if (done is { } message)
                {
                    Interlocked.Add(ref _bytesReceived, message.BodyLength);
                    if (message.Message is ClientMessage reply && receiving is not null && !record.Complete(receiving.Id, reply))
                    {
                        await RejectAsync(session, message.ExchangeId, $"exchange {message.ExchangeId} closed while its reply was being received (the stage deadline passed)").ConfigureAwait(false);
                    }

                    receiving = null;
                }
            }
        }
        catch (OperationCanceledException) when (session.Closing.IsCancellationRequested)
        {
            return session.CloseReason ?? "the call was aborted";
        }
        catch (OperationCanceledException) when (dropout.IsCancellationRequested)
        {
            _logger.LogWarning("Client {ClientId} dropped out: nothing received for {Timeout}", session.ClientId, _options.DropoutTimeout);
            return $"dropped out (nothing received for {_options.DropoutTimeout})";
        }
        catch (Exception exception) when (exception is IOException or InvalidOperationException or RpcException)
        {
            return $"disconnected ({exception.Message})";
        }
        finally
        {
            assembler.Reset();
        }
    }

    /// <summary>Decides whether a reply may be submitted: it must be the client's own, for an open exchange, for that exchange's round.</summary>
    private PendingExchange? Admit(ClientRecord record, ClientSession session, MessageStart start, out bool accepted)
    {
        accepted = false;
        string? claimed = start.HeaderCase switch
        {
            MessageStart.HeaderOneofCase.FitReply => start.FitReply.ClientId,
            MessageStart.HeaderOneofCase.EvaluateReply => start.EvaluateReply.ClientId,
            MessageStart.HeaderOneofCase.ErrorReply => start.ErrorReply.ClientId,
            MessageStart.HeaderOneofCase.Extension => start.Extension.ClientId,
            _ => null,
        };
        if (claimed is not null && !string.Equals(claimed, session.ClientId, StringComparison.Ordinal))
        {
            GrpcTransportTelemetry.Rejections.Add(1, new KeyValuePair<string, object?>("fedlearn.reason", "identity"));
            Interlocked.Increment(ref _rejectedSubmissions);
            _logger.LogWarning("Client {ClientId} tried to submit as '{ClaimedId}' (exchange {ExchangeId}, round {Round}); stream refused", session.ClientId, claimed, start.ExchangeId, start.Round);
            throw new ProtocolViolationException(StatusCode.PermissionDenied, $"client '{session.ClientId}' tried to submit as '{claimed}'; a client may submit only as itself.");
        }

        PendingExchange? exchange = record.Find(start.ExchangeId, out string? refusal);
        if (exchange is not null && exchange.Message.Round != start.Round)
        {
            refusal = $"a submission for round {start.Round} to exchange {start.ExchangeId}, which belongs to round {exchange.Message.Round}";
            exchange = null;
        }

        if (exchange is null)
        {
            _ = RejectAsync(session, start.ExchangeId, refusal!);
            return null;
        }

        accepted = true;
        return exchange;
    }

    private async Task RejectAsync(ClientSession session, ulong exchangeId, string reason)
    {
        Interlocked.Increment(ref _rejectedSubmissions);
        GrpcTransportTelemetry.Rejections.Add(1, new KeyValuePair<string, object?>("fedlearn.reason", "submission"));
        _logger.LogWarning("Rejected from client {ClientId}: {Reason}", session.ClientId, reason);
        try
        {
            await session.WriteAsync(new ServerFrame { Rejected = new Rejected { ExchangeId = exchangeId, Reason = reason } }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException or RpcException or ObjectDisposedException)
        {
            _logger.LogDebug(exception, "Could not tell client {ClientId} about the rejection", session.ClientId);
        }
    }

    private async Task HeartbeatLoopAsync(ClientSession session, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(_options.HeartbeatInterval);
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await session.HeartbeatAsync(_options.HeartbeatInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or IOException or InvalidOperationException or RpcException or ObjectDisposedException)
        {
            // The stream ended.
        }
    }
}
