using FedLearn.Options;
using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace FedLearn.Transport.Grpc.Client;

/// <summary>
/// The client's side of the gRPC transport: connects out to the server (no inbound port), holds one stream, turns the
/// server's instructions into replies with the handler and sends them back in chunks. A lost connection is retried
/// with exponential backoff and jitter; after a reconnect the server sends the open instructions again and the
/// client delivers what it computed meanwhile. <see cref="RunAsync"/> returns when cancelled (after telling the
/// server it leaves) or when the server shuts the federation down. One <see cref="RunAsync"/> at a time.
/// </summary>
public sealed partial class GrpcClientTransport : IClientTransport, IDisposable
{
    private readonly GrpcClientOptions _options;
    private readonly MessageEncoder _encoder;
    private readonly IMessageSerializer[] _serializers;
    private readonly ILogger _logger;
    private readonly ClientChannelFactory _channels;
    private int _connections;

    /// <summary>Creates the transport; the options are validated now and the certificate files are read.</summary>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The options are invalid; the message lists every error.</exception>
    public GrpcClientTransport(GrpcClientOptions options, IEnumerable<IMessageSerializer>? serializers = null, ILogger<GrpcClientTransport>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(GrpcClientOptions));
        _options = options;
        _serializers = serializers?.ToArray() ?? [];
        _encoder = new MessageEncoder(_serializers);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _channels = new ClientChannelFactory(options);
    }

    /// <summary>Connections the server welcomed so far (the first one and every reconnection).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>The server's reason when it shut the federation down, else <see langword="null"/>.</summary>
    public string? ShutdownReason { get; private set; }

    /// <summary>True when the server said the federation finished all its rounds.</summary>
    public bool FederationCompleted { get; private set; }

    internal TransportLimits Limits => new(_options.ChunkBytes, _options.MaxMessageBytes, _options.MaxTensors);

    /// <inheritdoc />
    /// <exception cref="RpcException">The server refused the client (permission denied, unauthenticated, bad protocol version).</exception>
    /// <exception cref="ConnectFailedException">The server stayed unreachable for <see cref="GrpcClientOptions.MaxConnectAttempts"/> attempts.</exception>
    public async Task RunAsync(string clientId, IClientMessageHandler handler, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(handler);
        var exchanges = new ClientExchanges(handler);
        ResiliencePipeline pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<ConnectFailedException>(),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.ReconnectDelay,
                MaxDelay = _options.MaxReconnectDelay,
                MaxRetryAttempts = _options.MaxConnectAttempts == 0 ? int.MaxValue : Math.Max(0, _options.MaxConnectAttempts - 1),
                OnRetry = args =>
                {
                    _logger.LogInformation("Client {ClientId}: connecting to {Server} failed ({Error}); attempt {Attempt} in {Delay:F1} s", clientId, _options.ServerAddress, args.Outcome.Exception?.Message, args.AttemptNumber + 2, args.RetryDelay.TotalSeconds);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();

        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // A fresh pipeline run per connection: the backoff starts over once a connection was established.
                SessionEnd end = await pipeline.ExecuteAsync(token => new ValueTask<SessionEnd>(RunSessionAsync(clientId, exchanges, token)), cancellationToken).ConfigureAwait(false);
                if (end == SessionEnd.Stop)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Cancellation is how a client stops.
        }
        catch (ConnectFailedException exception)
        {
            _logger.LogError("Client {ClientId}: giving up on {Server} after {Attempts} failed connection attempts in a row: {Error}", clientId, _options.ServerAddress, _options.MaxConnectAttempts, exception.Message);
            throw new ConnectFailedException($"Could not connect to {_options.ServerAddress} in {_options.MaxConnectAttempts} attempts in a row; the last failed with: {exception.Message}", exception);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _channels.Dispose();
}
