using System.Numerics;
using FedLearn.Options;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// Packed Paillier behind <see cref="IHomomorphicScheme"/>. Built from the public key alone (the server: encrypt, add)
/// or from the private key (clients: also decrypt). Randomizers rⁿ come from a pool that can be filled ahead of time.
/// Thread-safe; dispose to stop background filling.
/// </summary>
public sealed class PaillierScheme : IHomomorphicScheme, IDisposable
{
    private readonly PaillierCipher _cipher;
    private readonly PaillierPrivateKey? _privateKey;
    private readonly PackingLayout _layout;
    private readonly PaillierRandomizerPool _pool;

    /// <summary>A scheme that encrypts and adds but cannot decrypt.</summary>
    public PaillierScheme(PaillierPublicKey publicKey, PaillierOptions options, IBigIntegerMath? math = null)
        : this(publicKey, null, options, math)
    {
    }

    /// <summary>A scheme that also decrypts.</summary>
    public PaillierScheme(PaillierPrivateKey privateKey, PaillierOptions options, IBigIntegerMath? math = null)
        : this((privateKey ?? throw new ArgumentNullException(nameof(privateKey))).PublicKey, privateKey, options, math)
    {
    }

    private PaillierScheme(PaillierPublicKey publicKey, PaillierPrivateKey? privateKey, PaillierOptions options, IBigIntegerMath? math)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(options);
        OptionsValidation.ThrowIfInvalid(options, nameof(PaillierOptions));
        if (publicKey.Bits != options.KeyBits)
        {
            throw new ArgumentException($"the key has {publicKey.Bits} bits; the options say {options.KeyBits}.", nameof(publicKey));
        }

        _cipher = new PaillierCipher(publicKey, math ?? BigIntegerMath.Best());
        _privateKey = privateKey;
        _layout = new PackingLayout(publicKey.Bits, options.QuantizationRange, options.MaxClients, options.Packing);
        _pool = new PaillierRandomizerPool(_cipher);
        Name = $"paillier-{publicKey.Bits}{(options.Packing ? "-packed" : string.Empty)}-{_cipher.Math.Name}";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public long MaxValue => _layout.MaxValue;

    /// <inheritdoc />
    public int MaxContributions => _layout.MaxContributions;

    /// <inheritdoc />
    public bool CanDecrypt => _privateKey is not null;

    /// <summary>Values packed in one ciphertext.</summary>
    public int ValuesPerCiphertext => _layout.ValuesPerCiphertext;

    /// <summary>Bits per slot (value bits plus padding).</summary>
    public int SlotBits => _layout.SlotBits;

    /// <summary>The public key.</summary>
    public PaillierPublicKey PublicKey => _cipher.PublicKey;

    /// <summary>Randomizers precomputed and not yet used.</summary>
    public int PrecomputedRandomizers => _pool.Available;

    /// <summary>Randomizers that encryption had to compute inline because the pool was empty.</summary>
    public long RandomizerMisses => _pool.Misses;

    /// <summary>Ciphertexts needed for <paramref name="values"/> values.</summary>
    public int CiphertextsFor(int values) => _layout.CiphertextsFor(values);

    /// <summary>Precomputes randomizers for <paramref name="ciphertexts"/> encryptions now, on all cores.</summary>
    public void Precompute(int ciphertexts) => _pool.Fill(ciphertexts);

    /// <summary>Precomputes randomizers in the background (for example right after a round, for the next one).</summary>
    public void PrecomputeInBackground(int ciphertexts) => _pool.StartFilling(ciphertexts);

    /// <inheritdoc />
    public EncryptedVector Encrypt(ReadOnlySpan<long> values)
    {
        var ciphertexts = new BigInteger[_layout.CiphertextsFor(values.Length)];
        for (int c = 0; c < ciphertexts.Length; c++)
        {
            ciphertexts[c] = _cipher.Encrypt(_layout.Pack(values, c), _pool.Take());
        }

        return new EncryptedVector(ciphertexts, values.Length, 1);
    }

    /// <inheritdoc />
    public EncryptedVector Add(EncryptedVector left, EncryptedVector right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        Check(left);
        Check(right);
        if (left.Length != right.Length)
        {
            throw new ArgumentException($"cannot add encrypted vectors of {left.Length} and {right.Length} values.", nameof(right));
        }

        long contributions = (long)left.Contributions + right.Contributions;
        if (contributions > MaxContributions)
        {
            throw new InvalidOperationException($"the sum would combine {contributions} encryptions; the padding bits allow {MaxContributions}.");
        }

        var sum = new BigInteger[left.Ciphertexts.Length];
        for (int c = 0; c < sum.Length; c++)
        {
            sum[c] = _cipher.Add(left.Ciphertexts[c], right.Ciphertexts[c]);
        }

        return new EncryptedVector(sum, left.Length, (int)contributions);
    }

    /// <inheritdoc />
    public EncryptedVector MultiplyPlain(EncryptedVector vector, long scalar)
    {
        ArgumentNullException.ThrowIfNull(vector);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(scalar);
        Check(vector);
        long contributions = vector.Contributions * scalar;
        if (contributions > MaxContributions)
        {
            throw new InvalidOperationException($"the product would count as {contributions} encryptions; the padding bits allow {MaxContributions}.");
        }

        return new EncryptedVector(vector.Ciphertexts.Select(c => _cipher.MultiplyPlain(c, scalar)).ToArray(), vector.Length, (int)contributions);
    }

    /// <inheritdoc />
    public int Decrypt(EncryptedVector sum, Span<long> destination)
    {
        ArgumentNullException.ThrowIfNull(sum);
        PaillierPrivateKey key = _privateKey ?? throw new InvalidOperationException("this scheme holds only the public key and cannot decrypt.");
        Check(sum);
        if (destination.Length != sum.Length)
        {
            throw new ArgumentException($"destination has {destination.Length} slots for {sum.Length} values.", nameof(destination));
        }

        int count = 0;
        for (int c = 0; c < sum.Ciphertexts.Length; c++)
        {
            int here = _layout.Unpack(PaillierCipher.Decrypt(sum.Ciphertexts[c], key, _cipher.Math), c, destination);
            if (c > 0 && here != count)
            {
                throw new PaillierOverflowException($"ciphertext {c} counts {here} contributions, ciphertext 0 counts {count}: the sum mixes vectors.");
            }

            count = here;
        }

        return count;
    }

    /// <inheritdoc />
    public void Dispose() => _pool.Dispose();

    internal void Check(EncryptedVector vector)
    {
        if (vector.Ciphertexts.Length != _layout.CiphertextsFor(vector.Length))
        {
            throw new ArgumentException($"{vector.Length} values need {_layout.CiphertextsFor(vector.Length)} ciphertexts, not {vector.Ciphertexts.Length}.", nameof(vector));
        }

        foreach (BigInteger c in vector.Ciphertexts)
        {
            if (c.Sign <= 0 || c >= _cipher.PublicKey.ModulusSquared)
            {
                throw new ArgumentException("a ciphertext lies outside (0, n²).", nameof(vector));
            }
        }
    }
}
