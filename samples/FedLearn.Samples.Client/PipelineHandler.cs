using FedLearn.Client;
using FedLearn.Data;
using FedLearn.Privacy.Flags;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.Samples.Shared;
using FedLearn.Samples.Shared.Pipeline;
using FedLearn.Telemetry;
using FedLearn.Torch;
using FedLearn.Torch.Privacy;
using FedLearn.Transport;

namespace FedLearn.Samples.Client;

/// <summary>
/// The client app's message handler: answers the server's <see cref="PipelineOffer"/> (refusing, with the reason, when
/// the settings disagree), builds the trainer and pipeline once it knows the federation's plan (DP-SGD calibrates its
/// noise to the rounds, local epochs and batch size), then hands every instruction to the <see cref="FederatedClient"/>
/// and reports the ε a DP-SGD trainer has spent. One message at a time, as the transport delivers them.
/// </summary>
internal sealed class PipelineHandler(
    ClientSettings settings,
    ClientPipelineOptions chosen,
    ClientData partition,
    ClientState state,
    ILoggerFactory loggers,
    Action<string> onMismatch) : IClientMessageHandler, IDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<PipelineHandler>();
    private FederatedClient? _client;
    private DpSgdTrainer? _dpSgd;
    private IDisposable? _trainer;
    private PaillierAggregationClient? _paillier;

    /// <summary>Why this client refused the server's settings; <c>null</c> while they agree.</summary>
    public string? Mismatch { get; private set; }

    /// <summary>A short description of the pipeline, once built.</summary>
    public string Uplink => chosen.SecureAggregation.Enabled ? $"masked ({chosen.SecureAggregation.Protocol})" : settings.Compression is "none" or "" ? "dense" : settings.Compression;

    public async Task<ClientMessage> HandleAsync(ServerMessage message, CancellationToken cancellationToken)
    {
        if (message is PipelineOffer offer)
        {
            return Answer(offer);
        }

        if (_client is null)
        {
            return new ErrorReply(settings.ClientId, message.Round, $"{PipelineCheck.NotChecked}: client '{settings.ClientId}' got {message.GetType().Name} before the server's settings check (a restarted process resuming an exchange, or a server that sends no check).");
        }

        ClientMessage reply = await _client.HandleAsync(message, cancellationToken).ConfigureAwait(false);
        if (reply is FitReply && _dpSgd is { } trainer)
        {
            PrivacyBudget spent = trainer.Spent();
            FedLearnTelemetry.PrivacyEpsilon.Record(spent.Epsilon, new KeyValuePair<string, object?>("fedlearn.privacy.delta", spent.Delta));
            _logger.LogInformation("Client {ClientId} after round {Round}: DP-SGD has spent ε {Epsilon} at δ {Delta} on this client's records", settings.ClientId, message.Round, spent.Epsilon, spent.Delta);
        }

        return reply;
    }

    public void Dispose()
    {
        _trainer?.Dispose();
        _paillier?.Dispose();
    }

    private PipelineAnswer Answer(PipelineOffer offer)
    {
        string secure = chosen.SecureAggregation.Protocol;
        string dp = PrivacySpec.Mode(chosen.Dp);
        string? fingerprint = chosen.PaillierKey?.PublicKey.Fingerprint;
        ClientPipeline? pipeline = null;
        string? problem = PipelineCheck.Problem(offer, settings.ClientId, secure, dp, fingerprint);
        if (problem is null && _client is null)
        {
            try
            {
                pipeline = CreatePipeline(offer);
            }
            catch (FormatException exception)
            {
                problem = $"client '{settings.ClientId}' cannot use the server's Paillier parameters (MaxClients {offer.MaxClients}, MaxWeight {offer.MaxWeight}): {exception.Message}";
            }
        }

        if (problem is not null)
        {
            Mismatch ??= problem;
            _logger.LogError("Settings mismatch: {Problem}", problem);
            onMismatch(problem);
            return new PipelineAnswer(settings.ClientId, offer.Round, secure, dp, 0, 0, problem, fingerprint);
        }

        if (_client is null)
        {
            // This client's own training loss, accuracy and examples per round, tagged with its id (fedlearn_client_training_*).
            var trainer = new MeteredLocalTrainer(CreateTrainer(offer), settings.ClientId);
            _client = new FederatedClient(settings.ClientId, trainer, pipeline!, state, loggers.CreateLogger<FederatedClient>());
            _logger.LogInformation("Client {ClientId}: secure aggregation {SecureAggregation}, differential privacy {Dp}, for {Rounds} rounds of {LocalEpochs} local epochs", settings.ClientId, secure, PrivacySpec.Describe(chosen.Dp), offer.Rounds, offer.LocalEpochs);
        }

        return new PipelineAnswer(settings.ClientId, offer.Round, secure, dp, _dpSgd?.NoiseMultiplier ?? 0, _dpSgd?.SampleRate ?? 0, null, fingerprint);
    }

    private ILocalTrainer CreateTrainer(PipelineOffer offer)
    {
        TorchOptimizerKind optimizer = settings.Optimizer == "adam" ? TorchOptimizerKind.Adam : TorchOptimizerKind.Sgd;
        if (chosen.Dp.Mode != DpMode.Sample)
        {
            return TorchTrainer.Create(settings.Model, partition.Train, partition.Test, new TorchTrainerOptions { Optimizer = optimizer });
        }

        _dpSgd = new DpSgdTrainer(
            TorchModels.Create(settings.Model, seed: 0),
            partition.Train,
            partition.Test,
            PrivacySpec.DpSgdOptions(chosen.Dp, offer.Rounds, offer.LocalEpochs, offer.BatchSize, settings.Optimizer));
        _trainer = _dpSgd;
        _logger.LogInformation("Client {ClientId}: DP-SGD for target ε {Epsilon} at δ {Delta} over {Epochs} epochs: noise multiplier {NoiseMultiplier}, sampling rate {SampleRate}, clipping norm {Clip}", settings.ClientId, chosen.Dp.TargetEpsilon, chosen.Dp.Delta, offer.Rounds * offer.LocalEpochs, _dpSgd.NoiseMultiplier, _dpSgd.SampleRate, _dpSgd.MaxGradientNorm);
        return _dpSgd;
    }

    /// <summary>The uplink pipeline; under Paillier with the packing parameters the server sent (they must be the server's).</summary>
    /// <exception cref="FormatException">The server's Paillier parameters are not valid options.</exception>
    private ClientPipeline CreatePipeline(PipelineOffer offer)
    {
        switch (chosen.SecureAggregation.Protocol)
        {
            case "secagg+":
                return new ClientPipeline { SecureAggregation = new SecAggPlusClient() };
            case "paillier":
                PaillierOptions options = chosen.SecureAggregation.PaillierOptions(offer.MaxClients, offer.MaxWeight);
                var paillier = new PaillierAggregationClient(chosen.PaillierKey!, options);
                _paillier = paillier;
                return new ClientPipeline { SecureAggregation = paillier };
            default:
                return new ClientPipeline { Compressor = settings.Compression is "none" or "" ? null : Compression.CompressionPipelineBuilder.Parse(settings.Compression).Build() };
        }
    }
}
