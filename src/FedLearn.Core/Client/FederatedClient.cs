using System.Numerics.Tensors;
using FedLearn.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FedLearn.Client;

/// <summary>
/// A federated client: turns the server's instructions into replies by running its <see cref="ILocalTrainer"/>,
/// computing the delta to the global weights, privatizing and compressing it. Errors are reported to the server as
/// <see cref="ErrorReply"/> so the round goes on without this client. One instruction at a time.
/// </summary>
public sealed class FederatedClient : IClientMessageHandler
{
    private readonly ILocalTrainer _trainer;
    private readonly ClientPipeline _pipeline;
    private readonly ClientState _state;
    private readonly ILogger _logger;

    /// <summary>Creates a client.</summary>
    /// <param name="clientId">The client's identity as the server knows it.</param>
    /// <param name="trainer">Trains and evaluates on the local data.</param>
    /// <param name="pipeline">Privacy and compression of the update; <c>null</c> sends dense deltas.</param>
    /// <param name="state">State kept across rounds; a new one when <c>null</c>.</param>
    /// <param name="logger">Logger.</param>
    public FederatedClient(string clientId, ILocalTrainer trainer, ClientPipeline? pipeline = null, ClientState? state = null, ILogger<FederatedClient>? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientId);
        ArgumentNullException.ThrowIfNull(trainer);
        ClientId = clientId;
        _trainer = trainer;
        _pipeline = pipeline ?? ClientPipeline.Dense;
        _state = state ?? new ClientState();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>The client's identity.</summary>
    public string ClientId { get; }

    /// <summary>The state kept across rounds.</summary>
    public ClientState State => _state;

    /// <summary>Serves the server through <paramref name="transport"/> until cancelled.</summary>
    public Task RunAsync(IClientTransport transport, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        return transport.RunAsync(ClientId, this, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        using IDisposable? scope = _logger.BeginScope(Logging.LogScope.ForClient(ClientId, message.Round));
        try
        {
            return message switch
            {
                FitInstruction fit => await FitAsync(fit, cancellationToken).ConfigureAwait(false),
                EvaluateInstruction evaluate => new EvaluateReply(ClientId, evaluate.Round, await _trainer.EvaluateAsync(evaluate.Weights, cancellationToken).ConfigureAwait(false)),
                _ => new ErrorReply(ClientId, message.Round, $"client '{ClientId}' does not handle {message.GetType().Name}."),
            };
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            _logger.LogError(exception, "Client {ClientId} failed in round {Round}", ClientId, message.Round);
            return new ErrorReply(ClientId, message.Round, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private async Task<ClientMessage> FitAsync(FitInstruction instruction, CancellationToken cancellationToken)
    {
        ModelWeights global = instruction.Weights;
        LocalFitResult result = await _trainer.FitAsync(global, instruction.Config, cancellationToken).ConfigureAwait(false);
        global.EnsureSameLayout(result.Weights, "trainer result");

        // The delta reuses the trainer's fresh buffer: local − global.
        float[] delta = result.Weights.Values;
        TensorPrimitives.Subtract(delta, global.Values, delta);
        _pipeline.PrivacyEngine?.PrivatizeUpdate(delta, instruction.Round, Seeds.Derive(instruction.Config.Seed, 0x5052_4956));

        UpdatePayload payload = _pipeline.Compressor is { } compressor
            ? compressor.Compress(delta, new CompressionContext(ClientId, instruction.Round, Seeds.Derive(instruction.Config.Seed, 0x434F_4D50), _state.Compression))
            : new DenseUpdatePayload(delta);
        _logger.LogDebug("Client {ClientId} trained round {Round}: loss {Loss:F4}, {Bytes} bytes", ClientId, instruction.Round, result.Metrics.Loss, payload.ByteSize);
        return new FitReply(new ClientUpdate(ClientId, instruction.Round, result.Metrics.ExampleCount, payload, result.Metrics));
    }
}
