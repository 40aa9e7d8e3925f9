using FedLearn.Options;
using FedLearn.SecureAggregation;
using FedLearn.Server;
using FedLearn.Transport;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// The server side of Paillier aggregation. The server holds only the public key: it multiplies the clients'
/// ciphertexts (adding the plaintexts) and asks one key-holding participant to decrypt the sum, trying the next when
/// one fails. It learns the sum only. Trust model: the clients share the secret key and do not collude with the server
/// (honest-but-curious server); a server that deviates could ask for a single client's ciphertext, which clients refuse
/// only as far as they can tell (<see cref="PaillierAggregationClient.MinContributions"/>).
/// </summary>
public sealed class PaillierSecureAggregation : ISecureAggregationProtocol, IDisposable
{
    private readonly PaillierScheme _scheme;
    private readonly PaillierOptions _options;

    /// <summary>Creates the server side with the federation's public key.</summary>
    public PaillierSecureAggregation(PaillierPublicKey publicKey, PaillierOptions options, IBigIntegerMath? math = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(PaillierOptions));
        _scheme = new PaillierScheme(publicKey, options, math);
        _options = options;
    }

    /// <inheritdoc />
    public string Name => _scheme.Name;

    /// <inheritdoc />
    public Task<SecureAggregationSetup> SetUpAsync(int round, IReadOnlyList<string> sampled, int modelLength, ISecureAggregationStages stages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sampled);
        return Task.FromResult(sampled.Count > _options.MaxClients
            ? new SecureAggregationSetup { FailureReason = $"{sampled.Count} clients exceed MaxClients ({_options.MaxClients}) that the packing's padding bits allow." }
            : new SecureAggregationSetup { Participants = sampled });
    }

    /// <inheritdoc />
    public async Task<SecureAggregationResult> AggregateAsync(int round, IReadOnlyList<ClientUpdate> updates, Memory<float> destination, ISecureAggregationStages stages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(updates);
        ArgumentNullException.ThrowIfNull(stages);
        var failures = new List<ClientFailure>();
        var aggregated = new List<string>();
        EncryptedVector? sum = null;
        foreach (ClientUpdate update in updates)
        {
            try
            {
                if (update.Payload is not EncryptedUpdatePayload encrypted || encrypted.Vector.Length != destination.Length + 1 || encrypted.Vector.Contributions != 1)
                {
                    throw new ArgumentException($"expected one encrypted vector of {destination.Length + 1} values.");
                }

                if (sum is null)
                {
                    _scheme.Check(encrypted.Vector);
                    sum = encrypted.Vector;
                }
                else
                {
                    sum = _scheme.Add(sum, encrypted.Vector);
                }

                aggregated.Add(update.ClientId);
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                failures.Add(new ClientFailure(update.ClientId, ClientFailureKind.Rejected, exception.Message));
            }
        }

        if (sum is null)
        {
            return new SecureAggregationResult { Succeeded = false, Failures = failures, FailureReason = "no valid encrypted update arrived." };
        }

        long bytesDown = 0;
        long bytesUp = 0;
        var request = new DecryptRequest(round, sum, _scheme.PublicKey.CiphertextBytes);
        foreach (string decryptor in aggregated)
        {
            SecureStageResult stage = await stages.ExchangeAsync([decryptor], _ => request, 1, cancellationToken).ConfigureAwait(false);
            bytesDown += stage.BytesDown;
            bytesUp += stage.BytesUp;
            failures.AddRange(stage.Failures);
            foreach ((string id, ClientMessage reply) in stage.Replies)
            {
                if (reply is DecryptReply plain && plain.ClientId == id && plain.Round == round && plain.Sums.Length == sum.Length && plain.Contributions == sum.Contributions)
                {
                    return Finish(plain, destination.Span, aggregated, failures, bytesDown, bytesUp);
                }

                failures.Add(new ClientFailure(id, reply is ErrorReply ? ClientFailureKind.Error : ClientFailureKind.Rejected, reply is ErrorReply error ? error.Error : "the decrypted sum does not match the request."));
            }
        }

        return new SecureAggregationResult { Succeeded = false, Failures = failures, BytesDown = bytesDown, BytesUp = bytesUp, FailureReason = "no participant decrypted the sum." };
    }

    /// <inheritdoc />
    public void Dispose() => _scheme.Dispose();

    private SecureAggregationResult Finish(DecryptReply plain, Span<float> destination, List<string> aggregated, List<ClientFailure> failures, long bytesDown, long bytesUp)
    {
        long totalWeight = plain.Sums[^1];
        if (totalWeight <= 0)
        {
            return new SecureAggregationResult { Succeeded = false, Failures = failures, FailureReason = "the decrypted weights sum to zero." };
        }

        double unit = 2 * _options.ClippingRange / _options.QuantizationRange;
        double divisor = (double)totalWeight / _options.MaxWeight;
        double offset = plain.Contributions * _options.ClippingRange;
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = (float)(((plain.Sums[i] * unit) - offset) / divisor);
        }

        return new SecureAggregationResult { Succeeded = true, Aggregated = aggregated, Failures = failures, BytesDown = bytesDown, BytesUp = bytesUp };
    }
}
