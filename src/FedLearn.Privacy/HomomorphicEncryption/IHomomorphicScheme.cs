namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// Additively homomorphic encryption of integer vectors: anyone with the public key encrypts and adds; only the holder
/// of the secret key decrypts, and learns only the sum. Paillier with packing implements it here; a CKKS backend
/// (for example Microsoft SEAL) could implement it later with the same vector shape. Thread-safe.
/// </summary>
public interface IHomomorphicScheme
{
    /// <summary>Name for logs and results (for example <c>paillier-2048-packed</c>).</summary>
    string Name { get; }

    /// <summary>Largest value one encryption may hold in a slot; slots take integers in [0, MaxValue].</summary>
    long MaxValue { get; }

    /// <summary>Most encryptions a sum may combine before a slot could overflow.</summary>
    int MaxContributions { get; }

    /// <summary>Whether this instance holds the secret key.</summary>
    bool CanDecrypt { get; }

    /// <summary>Encrypts integers in [0, <see cref="MaxValue"/>].</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value lies outside [0, MaxValue].</exception>
    EncryptedVector Encrypt(ReadOnlySpan<long> values);

    /// <summary>The encryption of the element-wise sum.</summary>
    /// <exception cref="InvalidOperationException">The sum would combine more than <see cref="MaxContributions"/> encryptions.</exception>
    EncryptedVector Add(EncryptedVector left, EncryptedVector right);

    /// <summary>The encryption of every element times <paramref name="scalar"/> (a positive integer).</summary>
    EncryptedVector MultiplyPlain(EncryptedVector vector, long scalar);

    /// <summary>Decrypts a sum into <paramref name="destination"/> and returns how many encryptions it combines.</summary>
    /// <exception cref="InvalidOperationException">This instance has no secret key.</exception>
    /// <exception cref="PaillierOverflowException">A slot overflowed; the sum is unusable.</exception>
    int Decrypt(EncryptedVector sum, Span<long> destination);
}
