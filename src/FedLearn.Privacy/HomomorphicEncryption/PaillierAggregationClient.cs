using System.Security.Cryptography;
using FedLearn.Privacy.SecureAggregation;
using FedLearn.SecureAggregation;
using FedLearn.Transport;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// The client side of Paillier aggregation: quantizes the weighted (privatized) delta as SecAgg+ does, packs and encrypts
/// it under the shared public key, and, when the server asks, decrypts the round's sum (never a single update: a sum of
/// fewer than <see cref="MinContributions"/> encryptions is refused). After each upload it precomputes the next round's
/// randomizers in the background. One instance per client; not thread-safe.
/// </summary>
public sealed class PaillierAggregationClient : ISecureAggregationClient, IDisposable
{
    private readonly PaillierScheme _scheme;
    private readonly PaillierOptions _options;
    private int _lastDecryptedRound;

    /// <summary>Creates the client with the federation's secret key.</summary>
    public PaillierAggregationClient(PaillierPrivateKey key, PaillierOptions options, IBigIntegerMath? math = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        _scheme = new PaillierScheme(key, options, math);
        _options = options;
    }

    /// <summary>Smallest sum this client agrees to decrypt.</summary>
    /// <value>Default: 2.</value>
    public int MinContributions { get; init; } = 2;

    /// <summary>The scheme (for precomputation and statistics).</summary>
    public PaillierScheme Scheme => _scheme;

    /// <inheritdoc />
    public Task<ClientMessage?> HandleAsync(string clientId, ServerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is not DecryptRequest request)
        {
            return Task.FromResult<ClientMessage?>(null);
        }

        if (request.Round <= _lastDecryptedRound)
        {
            throw new InvalidOperationException($"refused to decrypt for round {request.Round}: round {_lastDecryptedRound} was already decrypted (replayed or out of order).");
        }

        if (request.Sum.Contributions < MinContributions)
        {
            throw new InvalidOperationException($"refused to decrypt a sum of {request.Sum.Contributions} encryptions; at least {MinContributions} are required.");
        }

        var sums = new long[request.Sum.Length];
        int contributions = _scheme.Decrypt(request.Sum, sums);
        if (contributions < MinContributions)
        {
            throw new InvalidOperationException($"refused: the plaintext counts {contributions} contributions; at least {MinContributions} are required.");
        }

        _lastDecryptedRound = request.Round;
        return Task.FromResult<ClientMessage?>(new DecryptReply(clientId, request.Round, sums, contributions));
    }

    /// <inheritdoc />
    public UpdatePayload Protect(string clientId, int round, ReadOnlySpan<float> delta, long exampleCount, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exampleCount);
        int weight = (int)Math.Min(exampleCount, _options.MaxWeight);
        var words = new uint[delta.Length];
        using (var rounding = new MaskGenerator(SHA256.HashData(BitConverter.GetBytes(seed))))
        {
            FixedPointQuantizer.Quantize(delta, (double)weight / _options.MaxWeight, _options.ClippingRange, _options.QuantizationRange, rounding, words);
        }

        var values = new long[delta.Length + 1];
        for (int i = 0; i < words.Length; i++)
        {
            values[i] = words[i];
        }

        values[^1] = weight;
        EncryptedVector vector = _scheme.Encrypt(values);
        _scheme.PrecomputeInBackground(vector.Ciphertexts.Length);
        return new EncryptedUpdatePayload(vector, delta.Length, _scheme.PublicKey.CiphertextBytes);
    }

    /// <inheritdoc />
    public void Dispose() => _scheme.Dispose();
}
