using System.Collections.Concurrent;
using System.Globalization;
using FedLearn.Client;
using FedLearn.Data;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Privacy.SecureAggregation;

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

    /// <summary>Checks the flag; throws <see cref="UsageException"/> naming what is wrong.</summary>
    public static void Validate(SimulationSettings settings)
    {
        if (settings.SecureAggregation is "none" or "")
        {
            return;
        }

        if (settings.Compression is not ("none" or ""))
        {
            throw new UsageException("--secure-aggregation needs dense updates (masks and ciphertexts use their own fixed-point encoding); use --compression none.");
        }

        _ = Parse(settings.SecureAggregation, settings.Clients, maxWeight: 1);
    }

    /// <summary>The protocol for the run, or <c>null</c> for none.</summary>
    public static SecureAggregationSetup? Create(SimulationSettings settings, FederatedDataLoader data)
    {
        if (settings.SecureAggregation is "none" or "")
        {
            return null;
        }

        // Weights are the clients' example counts, uncapped: the largest client sets the cap.
        int maxWeight = Enumerable.Range(0, data.ClientCount).Max(i => data.GetClient(i).Train.Count);
        object options = Parse(settings.SecureAggregation, settings.Clients, maxWeight);
        if (options is SecAggPlusOptions secagg)
        {
            return new SecureAggregationSetup(new SecAggPlusServer(secagg), () => new SecAggPlusClient());
        }

        var paillier = (PaillierOptions)options;
        PaillierPrivateKey key = PaillierPrivateKey.Generate(paillier.KeyBits);
        return new SecureAggregationSetup(new PaillierSecureAggregation(key.PublicKey, paillier), () => new PaillierAggregationClient(key, paillier));
    }

    private static object Parse(string flag, int clients, int maxWeight)
    {
        try
        {
            if (flag.StartsWith("secagg+:", StringComparison.Ordinal))
            {
                string[] parts = flag["secagg+:".Length..].Split(',');
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int shares) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int threshold))
                {
                    throw new UsageException($"--secure-aggregation: expected secagg+:<shares>,<threshold> (for example secagg+:5,3), got '{flag}'.");
                }

                var options = new SecAggPlusOptions { NumShares = shares, ReconstructionThreshold = threshold, MaxWeight = maxWeight };
                Options.OptionsValidation.ThrowIfInvalid(options, nameof(SecAggPlusOptions));
                if (options.ValidateFor(clients) is { Count: > 0 } errors)
                {
                    throw new UsageException($"--secure-aggregation: {string.Join(" ", errors)}");
                }

                return options;
            }

            if (flag.StartsWith("paillier:", StringComparison.Ordinal) && int.TryParse(flag["paillier:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int bits))
            {
                var options = new PaillierOptions { KeyBits = bits, MaxClients = Math.Max(2, clients), MaxWeight = maxWeight };
                Options.OptionsValidation.ThrowIfInvalid(options, nameof(PaillierOptions));
                return options;
            }
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException exception)
        {
            throw new UsageException($"--secure-aggregation: {string.Join("; ", exception.Failures)}");
        }

        throw new UsageException($"--secure-aggregation must be none, secagg+:<shares>,<threshold> or paillier:<bits>, got '{flag}'.");
    }
}
