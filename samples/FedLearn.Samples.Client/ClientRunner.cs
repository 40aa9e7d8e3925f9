using FedLearn.Client;
using FedLearn.Privacy.SecureAggregation.Wire;
using FedLearn.Samples.Shared.Pipeline;
using FedLearn.Data;
using FedLearn.Torch;
using FedLearn.Transport.Grpc.Client;
using Microsoft.Extensions.Options;

namespace FedLearn.Samples.Client;

/// <summary>
/// Loads the client's partition of Fashion-MNIST, builds its TorchSharp trainer and pipeline, and serves the server
/// until the federation ends or the host stops; its state is saved either way.
/// </summary>
internal sealed class ClientRunner(
    IOptions<ClientSettings> settingsOptions,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers,
    ILogger<ClientRunner> logger) : BackgroundService
{
    private readonly ClientSettings _settings = settingsOptions.Value;

    public static int ExitCode { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        ClientState? state = null;
        try
        {
            var data = FederatedDataLoader.GetOrCreate(new FederatedDataOptions
            {
                DataDirectory = _settings.DataDir,
                Partition = _settings.Partition,
                ClientCount = _settings.Clients,
                Seed = _settings.Seed,
                TrainSubset = _settings.TrainSubset,
            });
            ClientData partition = data.GetClient(_settings.ClientIndex);
            TorchRuntime.SetWorkerCount(1);
            TorchRuntime.SetThreadCount(_settings.Threads);
            ClientPipelineOptions chosen = ClientPipelineOptions.Read(_settings, out IReadOnlyList<string> problems);
            if (problems.Count > 0)
            {
                // Program checks before the host starts; this guards a host built some other way.
                throw new InvalidOperationException(string.Join(" ", problems));
            }

            state = ClientStateStore.Load(_settings.StateDir);
            using var mismatch = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            using var handler = new PipelineHandler(_settings, chosen, partition, state, loggers, _ =>
            {
                ExitCode = 2;

                // The refusal goes back to the server first, which then tells every client; stop anyway if it does not.
                mismatch.CancelAfter(TimeSpan.FromSeconds(5));
            });
            using var transport = new GrpcClientTransport(
                new GrpcClientOptions
                {
                    ServerAddress = _settings.Server,
                    CertificatePath = _settings.Server.StartsWith("https", StringComparison.Ordinal) ? _settings.Certificate : null,
                    KeyPath = _settings.Key,
                    CaCertificatePath = _settings.Server.StartsWith("https", StringComparison.Ordinal) ? _settings.CaCertificate : null,
                    ChunkBytes = _settings.ChunkBytes,
                    MaxMessageBytes = _settings.MaxMessageBytes,
                    HeartbeatInterval = TimeSpan.FromSeconds(_settings.HeartbeatSeconds),
                    DropoutTimeout = TimeSpan.FromSeconds(_settings.DropoutSeconds),
                    ReconnectDelay = TimeSpan.FromSeconds(_settings.ReconnectDelaySeconds),
                    MaxReconnectDelay = TimeSpan.FromSeconds(_settings.MaxReconnectDelaySeconds),
                    MaxConnectAttempts = _settings.MaxConnectAttempts,
                },
                [new SecureAggregationMessageSerializer(), new PipelineMessageSerializer()],
                loggers.CreateLogger<GrpcClientTransport>());
            logger.LogInformation("Client {ClientId}: partition {Index} of {Clients} ({Train} training, {Test} test images), model {Model}, uplink {Uplink}", _settings.ClientId, _settings.ClientIndex, _settings.Clients, partition.Train.Count, partition.Test.Count, _settings.Model, handler.Uplink);
            try
            {
                await transport.RunAsync(_settings.ClientId, handler, mismatch.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (handler.Mismatch is not null && !stoppingToken.IsCancellationRequested)
            {
                // Stopped after refusing the server's settings; reported below.
            }

            if (handler.Mismatch is { } problem)
            {
                logger.LogError("Client {ClientId} stopped: its settings do not match the server's: {Problem}", _settings.ClientId, problem);
            }
            else
            {
                logger.LogInformation("Client {ClientId} stopped: {Reason}", _settings.ClientId, transport.ShutdownReason ?? "the host is stopping");
            }
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogError(exception, "Client {ClientId} failed", _settings.ClientId);
            ExitCode = 1;
        }
        finally
        {
            if (state is not null)
            {
                ClientStateStore.Save(_settings.StateDir, state);
            }

            lifetime.StopApplication();
        }
    }
}
