using FedLearn.Client;
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
            ILocalTrainer trainer = TorchTrainer.Create(_settings.Model, partition.Train, partition.Test, new TorchTrainerOptions
            {
                Optimizer = _settings.Optimizer == "adam" ? TorchOptimizerKind.Adam : TorchOptimizerKind.Sgd,
            });
            var pipeline = new ClientPipeline
            {
                Compressor = _settings.Compression is "none" or "" ? null : Compression.CompressionPipelineBuilder.Parse(_settings.Compression).Build(),
            };
            state = ClientStateStore.Load(_settings.StateDir);

            // This client's own training loss, accuracy and examples per round, tagged with its id (fedlearn_client_training_*).
            trainer = new Telemetry.MeteredLocalTrainer(trainer, _settings.ClientId);
            var client = new FederatedClient(_settings.ClientId, trainer, pipeline, state, loggers.CreateLogger<FederatedClient>());
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
                },
                logger: loggers.CreateLogger<GrpcClientTransport>());
            logger.LogInformation("Client {ClientId}: partition {Index} of {Clients} ({Train} training, {Test} test images), model {Model}, uplink {Uplink}", _settings.ClientId, _settings.ClientIndex, _settings.Clients, partition.Train.Count, partition.Test.Count, _settings.Model, pipeline.Compressor?.Name ?? "dense");
            await client.RunAsync(transport, stoppingToken).ConfigureAwait(false);
            logger.LogInformation("Client {ClientId} stopped: {Reason}", _settings.ClientId, transport.ShutdownReason ?? "the host is stopping");
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
