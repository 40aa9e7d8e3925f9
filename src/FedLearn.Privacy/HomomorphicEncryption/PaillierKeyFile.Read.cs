using System.Numerics;
using System.Text;
using System.Text.Json;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>Reading and validating key files (the format is described on <see cref="PaillierKeyFile"/>).</summary>
public static partial class PaillierKeyFile
{
    private static readonly string[] PublicMembers = ["format", "version", "bits", "fingerprint", "n"];
    private static readonly string[] SecretMembers = ["format", "version", "bits", "fingerprint", "n", "p", "q"];

    /// <summary>Reads a public-key file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedBits">The key size the configuration asks for; any size when <c>null</c>.</param>
    /// <exception cref="FedLearnFormatException">The file is not a valid public-key file, or not of <paramref name="expectedBits"/>; the message names the file and what is wrong.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PaillierPublicKey ReadPublicKey(string path, int? expectedBits = null) =>
        WithPath(path, () => ParsePublicKey(ReadText(path), expectedBits));

    /// <summary>Reads a secret-key file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedBits">The key size the configuration asks for; any size when <c>null</c>.</param>
    /// <param name="math">The big-integer backend for the checks and the key's precomputation; <see cref="BigIntegerMath.Best"/> when <c>null</c>.</param>
    /// <exception cref="FedLearnFormatException">The file is not a valid secret-key file, or not of <paramref name="expectedBits"/>; the message names the file and what is wrong.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static PaillierPrivateKey ReadSecretKey(string path, int? expectedBits = null, IBigIntegerMath? math = null) =>
        WithPath(path, () => ParseSecretKey(ReadText(path), expectedBits, math));

    /// <summary>Parses a public-key document.</summary>
    /// <param name="json">The document.</param>
    /// <param name="expectedBits">The key size the configuration asks for; any size when <c>null</c>.</param>
    /// <exception cref="FedLearnFormatException">The document is not a valid public key of <paramref name="expectedBits"/>; the message says what is wrong.</exception>
    public static PaillierPublicKey ParsePublicKey(string json, int? expectedBits = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = Open(json, PublicKeyFormat);
        (int bits, BigInteger n) = ReadModulus(document.RootElement, PublicMembers, expectedBits);
        return new PaillierPublicKey(n);
    }

    /// <summary>Parses a secret-key document.</summary>
    /// <param name="json">The document.</param>
    /// <param name="expectedBits">The key size the configuration asks for; any size when <c>null</c>.</param>
    /// <param name="math">The big-integer backend for the checks and the key's precomputation; <see cref="BigIntegerMath.Best"/> when <c>null</c>.</param>
    /// <exception cref="FedLearnFormatException">The document is not a valid secret key of <paramref name="expectedBits"/>; the message says what is wrong.</exception>
    public static PaillierPrivateKey ParseSecretKey(string json, int? expectedBits = null, IBigIntegerMath? math = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using JsonDocument document = Open(json, SecretKeyFormat);
        (int bits, BigInteger n) = ReadModulus(document.RootElement, SecretMembers, expectedBits);
        BigInteger p = ReadNumber(document.RootElement, "p", FactorBytes(bits));
        BigInteger q = ReadNumber(document.RootElement, "q", FactorBytes(bits));
        if (p.GetBitLength() != bits / 2 || q.GetBitLength() != bits / 2)
        {
            throw new FedLearnFormatException($"p ({p.GetBitLength()} bits) and q ({q.GetBitLength()} bits) must each have bits/2 = {bits / 2} bits.");
        }

        if (p == q)
        {
            throw new FedLearnFormatException("p and q are equal; a Paillier key needs two distinct primes.");
        }

        if (p * q != n)
        {
            throw new FedLearnFormatException("p × q is not n: the secret numbers do not belong to this key's modulus (corrupted or mixed-up file).");
        }

        math ??= BigIntegerMath.Best();
        if (!math.IsProbablePrime(p) || !math.IsProbablePrime(q))
        {
            throw new FedLearnFormatException("p or q is not prime.");
        }

        if (!BigInteger.GreatestCommonDivisor(n, (p - 1) * (q - 1)).IsOne)
        {
            throw new FedLearnFormatException("gcd(n, (p − 1)(q − 1)) is not 1, which Paillier decryption needs.");
        }

        return new PaillierPrivateKey(p, q, math);
    }

    private static string ReadText(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        if (stream.Length > MaxFileBytes)
        {
            throw new FedLearnFormatException($"the file has {stream.Length} bytes; a key file has at most {MaxFileBytes}.");
        }

        var bytes = new byte[(int)stream.Length];
        stream.ReadExactly(bytes);
        try
        {
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw new FedLearnFormatException("the file is not UTF-8 text.");
        }
    }

    private static T WithPath<T>(string path, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (FedLearnFormatException exception)
        {
            throw new FedLearnFormatException($"'{path}': {exception.Message}", exception);
        }
    }

    private static JsonDocument Open(string json, string expectedFormat)
    {
        if (json.Length > MaxFileBytes)
        {
            throw new FedLearnFormatException($"the document has {json.Length} characters; a key file has at most {MaxFileBytes}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 2 });
        }
        catch (JsonException exception)
        {
            throw new FedLearnFormatException($"not a Paillier key file: the JSON is invalid or truncated ({exception.Message}).");
        }

        try
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.String)
            {
                throw new FedLearnFormatException($"not a Paillier key file: expected a JSON object with \"format\": \"{expectedFormat}\".");
            }

            string? kind = format.GetString();
            if (kind != expectedFormat)
            {
                throw new FedLearnFormatException(kind switch
                {
                    SecretKeyFormat => $"this is a Paillier secret-key file, but a public key ({expectedFormat}) is expected here: the server must hold only the public key.",
                    PublicKeyFormat => $"this is a Paillier public-key file, but the secret key ({expectedFormat}) is expected here: a client needs the secret key to decrypt the sum.",
                    _ => $"the format is '{kind}', expected '{expectedFormat}'.",
                });
            }

            if (!root.TryGetProperty("version", out JsonElement version) || version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out int number))
            {
                throw new FedLearnFormatException("\"version\" is missing or not an integer.");
            }

            if (number != Version)
            {
                throw new FedLearnFormatException($"version {number} is not supported; this build reads version {Version}.");
            }

            return document;
        }
        catch
        {
            document.Dispose();
            throw;
        }
    }

    private static (int Bits, BigInteger N) ReadModulus(JsonElement root, string[] members, int? expectedBits)
    {
        foreach (JsonProperty member in root.EnumerateObject())
        {
            if (Array.IndexOf(members, member.Name) < 0)
            {
                throw new FedLearnFormatException($"unknown member \"{member.Name}\"; a {members.Length}-member key file has {string.Join(", ", members)}.");
            }
        }

        if (!root.TryGetProperty("bits", out JsonElement bitsElement) || bitsElement.ValueKind != JsonValueKind.Number || !bitsElement.TryGetInt32(out int bits))
        {
            throw new FedLearnFormatException("\"bits\" is missing or not an integer.");
        }

        if (bits < MinBits || bits > MaxBits || bits % 2 != 0)
        {
            throw new FedLearnFormatException($"\"bits\" is {bits}; a Paillier modulus has an even number of bits from {MinBits} to {MaxBits}.");
        }

        if (expectedBits is int expected && bits != expected)
        {
            throw new FedLearnFormatException($"the key has {bits} bits, but {expected} are configured.");
        }

        BigInteger n = ReadNumber(root, "n", ModulusBytes(bits));
        if (n.GetBitLength() != bits || n.IsEven)
        {
            throw new FedLearnFormatException($"n has {n.GetBitLength()} bits{(n.IsEven ? " and is even" : string.Empty)}; \"bits\" says {bits} and a Paillier modulus is odd.");
        }

        if (!root.TryGetProperty("fingerprint", out JsonElement fingerprint) || fingerprint.ValueKind != JsonValueKind.String)
        {
            throw new FedLearnFormatException("\"fingerprint\" is missing or not a string.");
        }

        var key = new PaillierPublicKey(n);
        if (fingerprint.GetString() != key.Fingerprint)
        {
            throw new FedLearnFormatException($"the fingerprint '{fingerprint.GetString()}' is not n's ({key.Fingerprint}): the file is corrupted or was edited.");
        }

        return (bits, n);
    }

    private static BigInteger ReadNumber(JsonElement root, string name, int bytes)
    {
        if (!root.TryGetProperty(name, out JsonElement element) || element.ValueKind != JsonValueKind.String)
        {
            throw new FedLearnFormatException($"\"{name}\" is missing or not a base64 string.");
        }

        // Checked before decoding: a number of 'bytes' bytes is exactly this many base64 characters.
        int expectedLength = ((bytes + 2) / 3) * 4;
        string text = element.GetString()!;
        if (text.Length != expectedLength)
        {
            throw new FedLearnFormatException($"\"{name}\" has {text.Length} base64 characters; {bytes} bytes take {expectedLength} (truncated, or the key size is not the one \"bits\" says).");
        }

        var buffer = new byte[bytes];
        if (!Convert.TryFromBase64String(text, buffer, out int written) || written != bytes)
        {
            throw new FedLearnFormatException($"\"{name}\" is not valid base64 of {bytes} bytes.");
        }

        return new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
    }
}
