using System.Collections.Concurrent;
using System.Globalization;
using FedLearn.Client;
using FedLearn.Options;
using FedLearn.Server;
using FedLearn.Transport;
using Microsoft.Extensions.Logging;

namespace FedLearn.Simulation;

/// <summary>
/// The embedded default: a whole federation in one process. N clients are registered with an
/// <see cref="InMemoryTransport"/> and materialised only while sampled (a trainer is built for the exchange and
/// dropped after it), so memory grows with the clients working at once, not with N; only what a client must keep
/// across rounds (its <see cref="ClientState"/>, for example an error-feedback residual) is stored per client, and only
/// once it holds something. Runs are deterministic: client sampling and every client's randomness derive from the
/// server seed, and updates are aggregated in a fixed order, so the same seed gives bit-identical weights whatever
/// the thread scheduling.
/// </summary>
public sealed class FederatedSimulation
{
    private readonly Func<int, ILocalTrainer> _trainerFactory;
    private readonly Func<int, ClientPipeline> _clientPipelineFactory;
    private readonly ConcurrentDictionary<string, ClientState> _states = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _indexById;
    private readonly ILoggerFactory? _loggerFactory;

    /// <summary>Builds a simulation; all options are validated now.</summary>
    /// <param name="options">Number of clients and parallelism.</param>
    /// <param name="serverOptions">The server loop's settings.</param>
    /// <param name="initialWeights">The initial global model.</param>
    /// <param name="serverPipeline">Aggregator, optimizer and the other server components.</param>
    /// <param name="trainerFactory">Creates the trainer of client <c>i</c> (0-based) over its local data; called each time the client is sampled. A trainer that is <see cref="IDisposable"/> or <see cref="IAsyncDisposable"/> is disposed after its exchange.</param>
    /// <param name="clientPipelineFactory">Privacy and compression per client; dense when <c>null</c>.</param>
    /// <param name="loggerFactory">Logging.</param>
    public FederatedSimulation(
        SimulationOptions options,
        FederatedServerOptions serverOptions,
        ModelWeights initialWeights,
        ServerPipeline serverPipeline,
        Func<int, ILocalTrainer> trainerFactory,
        Func<int, ClientPipeline>? clientPipelineFactory = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trainerFactory);
        OptionsValidation.ThrowIfInvalid(options, nameof(SimulationOptions));
        _trainerFactory = trainerFactory;
        _clientPipelineFactory = clientPipelineFactory ?? (_ => ClientPipeline.Dense);
        _loggerFactory = loggerFactory;

        int digits = Math.Max(4, (options.ClientCount - 1).ToString(CultureInfo.InvariantCulture).Length);
        ClientIds = Enumerable.Range(0, options.ClientCount)
            .Select(i => options.ClientIdPrefix + i.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0'))
            .ToArray();
        _indexById = ClientIds.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);

        Transport = new InMemoryTransport(new InMemoryTransportOptions { MaxParallelism = options.MaxParallelism });
        Transport.RegisterLazy(ClientIds, Materialise);
        Server = new FederatedServer(serverOptions, Transport, initialWeights, serverPipeline, loggerFactory?.CreateLogger<FederatedServer>());
    }

    /// <summary>The simulated clients' ids; client <c>i</c> has <c>ClientIds[i]</c>.</summary>
    public IReadOnlyList<string> ClientIds { get; }

    /// <summary>The server.</summary>
    public FederatedServer Server { get; }

    /// <summary>The in-memory transport (for example to count bytes or take a client offline).</summary>
    public InMemoryTransport Transport { get; }

    /// <summary>Number of clients that hold state across rounds.</summary>
    public int StatefulClients => _states.Count(p => p.Value.FloatCount > 0);

    /// <summary>Floats held in client state across all clients.</summary>
    public long StateFloats => _states.Values.Sum(s => s.FloatCount);

    /// <summary>Runs the server loop to the end.</summary>
    public Task<FederatedRunResult> RunAsync(CancellationToken cancellationToken = default) => Server.RunAsync(cancellationToken);

    /// <summary>The state of a client (created empty on first use).</summary>
    public ClientState GetClientState(string clientId) => _states.GetOrAdd(clientId, _ => new ClientState());

    private IClientMessageHandler Materialise(string clientId)
    {
        int index = _indexById[clientId];
        ILocalTrainer trainer = _trainerFactory(index);
        ClientPipeline pipeline = _clientPipelineFactory(index);
        ClientState state = pipeline.Compressor is null ? new ClientState() : GetClientState(clientId);
        var client = new FederatedClient(clientId, trainer, pipeline, state, _loggerFactory?.CreateLogger<FederatedClient>());
        return new MaterialisedClient(client, trainer);
    }

    /// <summary>A client built for one exchange; disposing it disposes its trainer.</summary>
    private sealed class MaterialisedClient(FederatedClient client, ILocalTrainer trainer) : IClientMessageHandler, IAsyncDisposable
    {
        public Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken) => client.HandleAsync(message, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            if (trainer is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (trainer is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }
    }
}
