using System.Security.Cryptography;
using System.Text;

namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// The public-key parts of SecAgg+: ECDH on NIST P-256, HKDF-SHA256 to turn a shared secret into a key, AES-GCM for the
/// shares one client sends another through the server. Thread-safe (no state).
/// </summary>
internal static class KeyAgreement
{
    /// <summary>Bytes of an encoded public key: 0x04 ‖ X ‖ Y.</summary>
    public const int PublicKeyBytes = 65;

    /// <summary>Bytes of a private scalar.</summary>
    public const int PrivateKeyBytes = 32;

    /// <summary>AES-GCM nonce bytes.</summary>
    public const int NonceBytes = 12;

    /// <summary>AES-GCM tag bytes.</summary>
    public const int TagBytes = 16;

    /// <summary>A fresh key pair.</summary>
    public static ECDiffieHellman CreateKeyPair() => ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>The uncompressed encoding of the public key.</summary>
    public static byte[] ExportPublicKey(ECDiffieHellman key)
    {
        ECParameters parameters = key.ExportParameters(includePrivateParameters: false);
        var encoded = new byte[PublicKeyBytes];
        encoded[0] = 0x04;
        parameters.Q.X!.CopyTo(encoded, 1);
        parameters.Q.Y!.CopyTo(encoded, 33);
        return encoded;
    }

    /// <summary>The private scalar (32 bytes).</summary>
    public static byte[] ExportPrivateKey(ECDiffieHellman key) => key.ExportParameters(includePrivateParameters: true).D!;

    /// <summary>Rebuilds a key pair from its private scalar and its public key.</summary>
    /// <exception cref="CryptographicException">The two do not form a valid P-256 key.</exception>
    public static ECDiffieHellman ImportKeyPair(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> publicKey)
    {
        ECParameters parameters = PublicParameters(publicKey);
        parameters.D = privateKey.ToArray();
        return ECDiffieHellman.Create(parameters);
    }

    /// <summary>Checks that <paramref name="publicKey"/> is a point on P-256; returns the reason when it is not.</summary>
    public static string? CheckPublicKey(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyBytes || publicKey[0] != 0x04)
        {
            return $"a public key is {PublicKeyBytes} bytes starting with 0x04; got {publicKey.Length} bytes.";
        }

        try
        {
            using ECDiffieHellman key = ECDiffieHellman.Create(PublicParameters(publicKey));
            return null;
        }
        catch (CryptographicException exception)
        {
            return $"the public key is not a point on P-256 ({exception.Message}).";
        }
    }

    /// <summary>HKDF-SHA256 of the ECDH secret between <paramref name="own"/> and <paramref name="otherPublicKey"/>, bound to a purpose and a round.</summary>
    public static byte[] DeriveKey(ECDiffieHellman own, ReadOnlySpan<byte> otherPublicKey, string purpose, int round)
    {
        using ECDiffieHellman other = ECDiffieHellman.Create(PublicParameters(otherPublicKey));
        byte[] secret = own.DeriveRawSecretAgreement(other.PublicKey);
        try
        {
            byte[] info = Encoding.UTF8.GetBytes($"fedlearn/secagg+/{purpose}/round {round}");
            return HKDF.DeriveKey(HashAlgorithmName.SHA256, secret, 32, salt: [], info);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>AES-GCM encryption; the output is nonce ‖ ciphertext ‖ tag.</summary>
    public static byte[] Encrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> plaintext, ReadOnlySpan<byte> associatedData)
    {
        var output = new byte[NonceBytes + plaintext.Length + TagBytes];
        Span<byte> nonce = output.AsSpan(0, NonceBytes);
        RandomNumberGenerator.Fill(nonce);
        using var gcm = new AesGcm(key, TagBytes);
        gcm.Encrypt(nonce, plaintext, output.AsSpan(NonceBytes, plaintext.Length), output.AsSpan(NonceBytes + plaintext.Length), associatedData);
        return output;
    }

    /// <summary>AES-GCM decryption of <see cref="Encrypt"/>'s output.</summary>
    /// <exception cref="CryptographicException">The ciphertext, tag or associated data was altered, or the key is wrong.</exception>
    public static byte[] Decrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> sealedBox, ReadOnlySpan<byte> associatedData)
    {
        if (sealedBox.Length < NonceBytes + TagBytes)
        {
            throw new CryptographicException($"an encrypted share of {sealedBox.Length} bytes is shorter than nonce and tag.");
        }

        var plaintext = new byte[sealedBox.Length - NonceBytes - TagBytes];
        using var gcm = new AesGcm(key, TagBytes);
        gcm.Decrypt(sealedBox[..NonceBytes], sealedBox.Slice(NonceBytes, plaintext.Length), sealedBox[^TagBytes..], plaintext, associatedData);
        return plaintext;
    }

    private static ECParameters PublicParameters(ReadOnlySpan<byte> publicKey)
    {
        if (publicKey.Length != PublicKeyBytes || publicKey[0] != 0x04)
        {
            throw new CryptographicException($"a public key is {PublicKeyBytes} bytes starting with 0x04; got {publicKey.Length} bytes.");
        }

        return new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = publicKey.Slice(1, 32).ToArray(), Y = publicKey.Slice(33, 32).ToArray() },
        };
    }
}
