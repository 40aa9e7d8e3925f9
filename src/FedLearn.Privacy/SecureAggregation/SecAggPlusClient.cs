using System.Buffers.Binary;
using System.Security.Cryptography;
using FedLearn.SecureAggregation;
using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// The client side of SecAgg+: makes two P-256 key pairs per round, Shamir-shares its self-mask seed and its masking
/// private key among its neighbours (sealed with AES-GCM), masks its quantized weighted delta with its self mask and one
/// pairwise mask per neighbour, and at unmasking reveals, for each client it holds shares of, either the self-mask share
/// (the client sent its input) or the masking-key share (it dropped out), never both.
/// </summary>
/// <remarks>
/// Messages must come in the protocol's order within one round; a message for another round, a repeated message or one
/// out of order is refused (<see cref="InvalidOperationException"/>, which the client reports to the server as an error).
/// One instance per client identity; it must live across the stages of a round. Not thread-safe.
/// </remarks>
public sealed partial class SecAggPlusClient : ISecureAggregationClient, IDisposable
{
    private const int SecretBytes = 32;

    private int _round;
    private Stage _stage = Stage.Idle;
    private SecAggPlusParameters? _parameters;
    private int _index;
    private ECDiffieHellman? _encryptionKey;
    private ECDiffieHellman? _maskingKey;
    private byte[]? _selfSeed;
    private Dictionary<int, NeighbourKeys> _neighbours = [];
    private Dictionary<int, (ulong[] Seed, ulong[] Key)> _held = [];
    private int[] _partners = [];

    private enum Stage
    {
        Idle,
        KeysAdvertised,
        SharesSent,
        SharesReceived,
        InputSent,
        Unmasked,
    }

    /// <inheritdoc />
    public Task<ClientMessage?> HandleAsync(string clientId, ServerMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        ClientMessage? reply = message switch
        {
            AdvertiseKeysRequest advertise => AdvertiseKeys(clientId, advertise),
            ShareKeysRequest share => ShareKeys(clientId, share),
            DeliverSharesRequest deliver => ReceiveShares(clientId, deliver),
            UnmaskRequest unmask => Unmask(clientId, unmask),
            _ => null,
        };
        return Task.FromResult(reply);
    }

    /// <inheritdoc />
    public void Dispose() => Forget();

    private AdvertiseKeysReply AdvertiseKeys(string clientId, AdvertiseKeysRequest request)
    {
        if (request.Round <= _round)
        {
            throw new InvalidOperationException($"refused: advertise-keys for round {request.Round}, but round {_round} has already started (replayed or out of order).");
        }

        if (request.Parameters.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException("refused unsafe settings: " + string.Join(" ", problems));
        }

        if (request.ClientIndex < 1)
        {
            throw new InvalidOperationException($"refused: client index {request.ClientIndex} is not positive.");
        }

        Forget();
        _round = request.Round;
        _parameters = request.Parameters;
        _index = request.ClientIndex;
        _encryptionKey = KeyAgreement.CreateKeyPair();
        _maskingKey = KeyAgreement.CreateKeyPair();
        _stage = Stage.KeysAdvertised;
        return new AdvertiseKeysReply(clientId, _round, KeyAgreement.ExportPublicKey(_encryptionKey), KeyAgreement.ExportPublicKey(_maskingKey));
    }

    private ShareKeysReply ShareKeys(string clientId, ShareKeysRequest request)
    {
        Expect(request.Round, Stage.KeysAdvertised, "share-keys");
        SecAggPlusParameters parameters = _parameters!;
        var neighbours = new Dictionary<int, NeighbourKeys>();
        foreach (NeighbourKeys neighbour in request.Neighbours)
        {
            string? problem =
                neighbour.Index == _index ? "lists the client as its own neighbour" :
                neighbour.Index < 1 ? $"has neighbour index {neighbour.Index}" :
                neighbours.ContainsKey(neighbour.Index) ? $"lists neighbour {neighbour.Index} twice" :
                KeyAgreement.CheckPublicKey(neighbour.EncryptionKey) ?? KeyAgreement.CheckPublicKey(neighbour.MaskingKey);
            if (problem is not null)
            {
                throw new InvalidOperationException($"refused share-keys for round {_round}: the request {problem}");
            }

            neighbours.Add(neighbour.Index, neighbour);
        }

        if (neighbours.Count + 1 > parameters.NumShares || neighbours.Count + 1 < parameters.ReconstructionThreshold)
        {
            throw new InvalidOperationException($"refused share-keys for round {_round}: {neighbours.Count} neighbours, but a neighbourhood has {parameters.ReconstructionThreshold} to {parameters.NumShares} clients including this one.");
        }

        _neighbours = neighbours;
        _selfSeed = RandomNumberGenerator.GetBytes(SecretBytes);
        byte[] maskingSecret = KeyAgreement.ExportPrivateKey(_maskingKey!);
        int[] holders = [_index, .. neighbours.Keys];
        ulong[][] seedShares = ShamirSecretSharing.Split(_selfSeed, parameters.ReconstructionThreshold, holders);
        ulong[][] keyShares = ShamirSecretSharing.Split(maskingSecret, parameters.ReconstructionThreshold, holders);
        CryptographicOperations.ZeroMemory(maskingSecret);
        _held = new Dictionary<int, (ulong[], ulong[])> { [_index] = (seedShares[0], keyShares[0]) };

        var shares = new List<EncryptedShare>(neighbours.Count);
        for (int h = 1; h < holders.Length; h++)
        {
            int to = holders[h];
            byte[] key = KeyAgreement.DeriveKey(_encryptionKey!, neighbours[to].EncryptionKey, "shares", _round);
            byte[] plaintext = SharePlaintext(_index, to, seedShares[h], keyShares[h]);
            shares.Add(new EncryptedShare(_index, to, KeyAgreement.Encrypt(key, plaintext, AssociatedData(_round, _index, to))));
            CryptographicOperations.ZeroMemory(plaintext);
            CryptographicOperations.ZeroMemory(key);
        }

        _stage = Stage.SharesSent;
        return new ShareKeysReply(clientId, _round, shares);
    }

    private DeliverSharesReply ReceiveShares(string clientId, DeliverSharesRequest request)
    {
        Expect(request.Round, Stage.SharesSent, "deliver-shares");
        SecAggPlusParameters parameters = _parameters!;
        int limbs = ShamirSecretSharing.LimbCount(SecretBytes);
        var partners = new List<int>();
        foreach (EncryptedShare share in request.Shares)
        {
            if (share.To != _index || !_neighbours.TryGetValue(share.From, out NeighbourKeys? sender) || _held.ContainsKey(share.From))
            {
                throw new InvalidOperationException($"refused deliver-shares for round {_round}: a share from {share.From} to {share.To} is not addressed to this client by a neighbour, or repeats.");
            }

            byte[] plaintext;
            try
            {
                byte[] key = KeyAgreement.DeriveKey(_encryptionKey!, sender.EncryptionKey, "shares", _round);
                plaintext = KeyAgreement.Decrypt(key, share.Ciphertext, AssociatedData(_round, share.From, _index));
            }
            catch (CryptographicException exception)
            {
                throw new InvalidOperationException($"refused deliver-shares for round {_round}: the share from {share.From} does not decrypt ({exception.Message}).", exception);
            }

            (int from, int to, ulong[] seed, ulong[] secret) = ReadSharePlaintext(plaintext, limbs);
            CryptographicOperations.ZeroMemory(plaintext);
            if (from != share.From || to != _index)
            {
                throw new InvalidOperationException($"refused deliver-shares for round {_round}: the sealed share names {from}→{to}, the envelope {share.From}→{share.To}.");
            }

            _held[from] = (seed, secret);
            partners.Add(from);
        }

        if (partners.Count + 1 < parameters.ReconstructionThreshold)
        {
            throw new InvalidOperationException($"refused to go on in round {_round}: only {partners.Count} neighbours sent shares; at least {parameters.ReconstructionThreshold - 1} are needed.");
        }

        _partners = [.. partners.Order()];
        _stage = Stage.SharesReceived;
        return new DeliverSharesReply(clientId, _round, partners.Count);
    }

    private UnmaskReply Unmask(string clientId, UnmaskRequest request)
    {
        Expect(request.Round, Stage.InputSent, "unmask");
        var survivors = new HashSet<int>(request.Survivors);
        var dropped = new HashSet<int>(request.Dropped);
        if (survivors.Overlaps(dropped))
        {
            _stage = Stage.Unmasked;
            throw new InvalidOperationException($"refused unmask for round {_round}: clients {string.Join(", ", survivors.Intersect(dropped).Order())} are listed both as survivors and as dropped, which would reveal both their secrets.");
        }

        if (!survivors.Contains(_index) || survivors.Count < _parameters!.ReconstructionThreshold)
        {
            _stage = Stage.Unmasked;
            throw new InvalidOperationException($"refused unmask for round {_round}: {survivors.Count} survivors (this client {(survivors.Contains(_index) ? "among them" : "not among them")}); at least {_parameters!.ReconstructionThreshold} are needed.");
        }

        var shares = new List<RevealedShare>();
        foreach ((int owner, (ulong[] seed, ulong[] key)) in _held.OrderBy(p => p.Key))
        {
            if (survivors.Contains(owner))
            {
                shares.Add(new RevealedShare(owner, ShareKind.SelfMaskSeed, seed));
            }
            else if (dropped.Contains(owner))
            {
                shares.Add(new RevealedShare(owner, ShareKind.MaskingKey, key));
            }
        }

        // Each client's secrets are revealed once per round: a second request (or a replay) finds the stage closed.
        _stage = Stage.Unmasked;
        return new UnmaskReply(clientId, _round, shares);
    }

    private void Expect(int round, Stage stage, string what)
    {
        if (round != _round || _stage != stage)
        {
            throw new InvalidOperationException($"refused {what} for round {round}: the client is in round {_round} at stage {_stage} (replayed, out of round or out of order).");
        }
    }

    private void Forget()
    {
        _encryptionKey?.Dispose();
        _maskingKey?.Dispose();
        _encryptionKey = null;
        _maskingKey = null;
        if (_selfSeed is not null)
        {
            CryptographicOperations.ZeroMemory(_selfSeed);
        }

        _selfSeed = null;
        _held = [];
        _neighbours = [];
        _partners = [];
        _stage = Stage.Idle;
    }

    internal static byte[] AssociatedData(int round, int from, int to)
    {
        var data = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(data, round);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), from);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), to);
        return data;
    }

    private static byte[] SharePlaintext(int from, int to, ulong[] seed, ulong[] key)
    {
        var plaintext = new byte[8 + ((seed.Length + key.Length) * 8)];
        BinaryPrimitives.WriteInt32LittleEndian(plaintext, from);
        BinaryPrimitives.WriteInt32LittleEndian(plaintext.AsSpan(4), to);
        int offset = 8;
        foreach (ulong limb in seed.Concat(key))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(plaintext.AsSpan(offset), limb);
            offset += 8;
        }

        return plaintext;
    }

    private static (int From, int To, ulong[] Seed, ulong[] Key) ReadSharePlaintext(byte[] plaintext, int limbs)
    {
        if (plaintext.Length != 8 + (2 * limbs * 8))
        {
            throw new InvalidOperationException($"a decrypted share has {plaintext.Length} bytes, expected {8 + (2 * limbs * 8)}.");
        }

        var seed = new ulong[limbs];
        var key = new ulong[limbs];
        for (int l = 0; l < limbs; l++)
        {
            seed[l] = BinaryPrimitives.ReadUInt64LittleEndian(plaintext.AsSpan(8 + (l * 8)));
            key[l] = BinaryPrimitives.ReadUInt64LittleEndian(plaintext.AsSpan(8 + ((limbs + l) * 8)));
        }

        return (BinaryPrimitives.ReadInt32LittleEndian(plaintext), BinaryPrimitives.ReadInt32LittleEndian(plaintext.AsSpan(4)), seed, key);
    }
}
