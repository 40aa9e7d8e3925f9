using System.Collections.Concurrent;
using FedLearn.Client;
using FedLearn.Data;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.Flags;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.Samples.Shared;

namespace FedLearn.Samples.Simulation;

/// <summary>
/// Builds the secure aggregation the <c>--secure-aggregation</c> flag asks for: SecAgg+ with a neighbourhood size and
/// threshold, or Paillier with a key size (one key pair made for the run; the clients get the private key, the server
/// only the public key). Each client keeps one protocol instance for the whole run, as a device would.
/// </summary>
internal sealed class SecureAggregationSetup
{
    private readonly ConcurrentDictionary<int, FedLearn.SecureAggregation.ISecureAggregationClient> _clients = new();
    private readonly Func<FedLearn.SecureAggregation.ISecureAggregationClient> _createClient;

    private SecureAggregationSetup(FedLearn.SecureAggregation.ISecureAggregationProtocol server, Func<FedLearn.SecureAggregation.ISecureAggregationClient> createClient)
    {
        Server = server;
        _createClient = createClient;
    }

    public FedLearn.SecureAggregation.ISecureAggregationProtocol Server { get; }

    public ClientPipeline ClientPipeline(int client) => new() { SecureAggregation = _clients.GetOrAdd(client, _ => _createClient()) };

    /// <summary>Checks the flag and its combination with compression and <c>--dp</c>; throws <see cref="UsageException"/> naming what is wrong.</summary>
    public static void Validate(SimulationSettings settings)
    {
        SecureAggregationSpec spec = Parse(settings.SecureAggregation);
        if (!spec.Enabled)
        {
            return;
        }

        if (spec.CompressionConflict(settings.Compression) is { } conflict)
        {
            throw new UsageException(conflict);
        }

        if (DpFlagParser.TryParse(settings.Dp, out DpFlag? dp, out _) && PrivacySpec.SecureAggregationConflict(dp, spec) is { } privacy)
        {
            throw new UsageException(privacy);
        }

        _ = Options(spec, settings.Clients, maxWeight: 1);
    }

    /// <summary>The protocol for the run, or <c>null</c> for none.</summary>
    public static SecureAggregationSetup? Create(SimulationSettings settings, FederatedDataLoader data)
    {
        SecureAggregationSpec spec = Parse(settings.SecureAggregation);
        if (!spec.Enabled)
        {
            return null;
        }

        // Weights are the clients' example counts, uncapped: the largest client sets the cap.
        int maxWeight = Enumerable.Range(0, data.ClientCount).Max(i => data.GetClient(i).Train.Count);
        object options = Options(spec, settings.Clients, maxWeight);
        if (options is SecAggPlusOptions secagg)
        {
            return new SecureAggregationSetup(new SecAggPlusServer(secagg), () => new SecAggPlusClient());
        }

        var paillier = (PaillierOptions)options;
        PaillierPrivateKey key = PaillierPrivateKey.Generate(paillier.KeyBits);
        return new SecureAggregationSetup(new PaillierSecureAggregation(key.PublicKey, paillier), () => new PaillierAggregationClient(key, paillier));
    }

    private static SecureAggregationSpec Parse(string flag)
    {
        try
        {
            return SecureAggregationSpec.Parse(flag);
        }
        catch (FormatException exception)
        {
            throw new UsageException(exception.Message);
        }
    }

    private static object Options(SecureAggregationSpec spec, int clients, int maxWeight)
    {
        try
        {
            return spec.Protocol == "secagg+" ? spec.SecAggPlusOptions(clients, maxWeight) : spec.PaillierOptions(clients, maxWeight);
        }
        catch (FormatException exception)
        {
            throw new UsageException(exception.Message);
        }
    }
}
