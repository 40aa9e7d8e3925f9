using System.Numerics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// Reads and writes the federation's Paillier keys as small JSON files, so that a server can be given only the public
/// key and each client the secret key. Thread-safe (no state).
/// </summary>
/// <remarks>
/// <para>Format, version 1 (UTF-8 JSON, one object; unknown members are refused):</para>
/// <code>
/// { "format": "fedlearn.paillier.public-key", "version": 1, "bits": 2048,
///   "fingerprint": "sha256:&lt;64 hex digits&gt;", "n": "&lt;base64&gt;" }
/// { "format": "fedlearn.paillier.secret-key", "version": 1, "bits": 2048,
///   "fingerprint": "sha256:&lt;64 hex digits&gt;", "n": "&lt;base64&gt;", "p": "&lt;base64&gt;", "q": "&lt;base64&gt;" }
/// </code>
/// <para>
/// Numbers are unsigned big-endian bytes in standard base64 (padded): n in exactly ⌈bits/8⌉ bytes, p and q in
/// exactly ⌈bits/16⌉ bytes each. <c>bits</c> is the bit length of n (even, 512 to 16384); <c>fingerprint</c> is
/// <see cref="PaillierPublicKey.Fingerprint"/>. A reader checks the size of the file and the length of every number
/// before it decodes anything, then that n has <c>bits</c> bits and is odd, that the fingerprint is n's, and, for a
/// secret key, that p and q are distinct probable primes of bits/2 bits whose product is n. A file of the other kind
/// is refused by name (the server must never be handed the secret key).
/// </para>
/// </remarks>
public static partial class PaillierKeyFile
{
    /// <summary>The <c>format</c> of a public-key file.</summary>
    public const string PublicKeyFormat = "fedlearn.paillier.public-key";

    /// <summary>The <c>format</c> of a secret-key file.</summary>
    public const string SecretKeyFormat = "fedlearn.paillier.secret-key";

    /// <summary>The format version this build writes and reads: 1.</summary>
    public const int Version = 1;

    /// <summary>Largest key file read: 64 KiB (a 16384-bit secret key takes about 6 KiB).</summary>
    public const int MaxFileBytes = 64 * 1024;

    /// <summary>Smallest modulus a key file may hold: 512 bits (the smallest <see cref="PaillierPrivateKey.Generate"/> makes).</summary>
    public const int MinBits = 512;

    /// <summary>Largest modulus a key file may hold: 16384 bits.</summary>
    public const int MaxBits = 16384;

    /// <summary>The public key as a version-1 public-key document.</summary>
    public static string FormatPublicKey(PaillierPublicKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Format(PublicKeyFormat, key, []);
    }

    /// <summary>The secret key as a version-1 secret-key document (keep it secret: it decrypts every update).</summary>
    public static string FormatSecretKey(PaillierPrivateKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int factorBytes = FactorBytes(key.PublicKey.Bits);
        return Format(SecretKeyFormat, key.PublicKey, [("p", Base64(key.P, factorBytes)), ("q", Base64(key.Q, factorBytes))]);
    }

    /// <summary>Writes <see cref="FormatPublicKey"/> to <paramref name="path"/> (replacing it atomically; the folder is created).</summary>
    public static void WritePublicKey(PaillierPublicKey key, string path) => Write(path, FormatPublicKey(key), ownerOnly: false);

    /// <summary>
    /// Writes <see cref="FormatSecretKey"/> to <paramref name="path"/> (replacing it atomically; the folder is created).
    /// On Unix the file is created readable and writable by its owner only (mode 0600) before any byte is written.
    /// </summary>
    public static void WriteSecretKey(PaillierPrivateKey key, string path) => Write(path, FormatSecretKey(key), ownerOnly: true);

    /// <summary>
    /// Generates a key pair for development and tests and writes it under <paramref name="directory"/> as
    /// <c>paillier.pub.json</c> and <c>paillier.key.json</c>. Production deployments make the pair where the clients'
    /// operator keeps secrets, and hand the server only the public key.
    /// </summary>
    /// <param name="directory">Output folder (created).</param>
    /// <param name="bits">Modulus size: 2048 or 3072 for use (see <see cref="PaillierPrivateKey.Generate"/>).</param>
    /// <param name="math">The big-integer backend; <see cref="BigIntegerMath.Best"/> when <c>null</c>.</param>
    public static PaillierKeyPairFiles CreateDevelopmentPair(string directory, int bits = PaillierDefaults.KeyBits, IBigIntegerMath? math = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        PaillierPrivateKey key = PaillierPrivateKey.Generate(bits, math);
        var files = new PaillierKeyPairFiles(directory, key.PublicKey.Fingerprint);
        WritePublicKey(key.PublicKey, files.PublicKeyPath);
        WriteSecretKey(key, files.SecretKeyPath);
        return files;
    }

    private static int ModulusBytes(int bits) => (bits + 7) / 8;

    private static int FactorBytes(int bits) => ((bits / 2) + 7) / 8;

    private static string Base64(BigInteger value, int bytes)
    {
        var buffer = new byte[bytes];
        if (!value.TryWriteBytes(buffer.AsSpan(bytes - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true))
        {
            throw new ArgumentException($"a key number does not fit in {bytes} bytes.");
        }

        return Convert.ToBase64String(buffer);
    }

    /// <remarks>Base64's '+' and '/' are written as they are (JSON does not need them escaped), so the file reads as the format says.</remarks>
    private static string Format(string format, PaillierPublicKey key, (string Name, string Value)[] secrets)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("format", format);
            writer.WriteNumber("version", Version);
            writer.WriteNumber("bits", key.Bits);
            writer.WriteString("fingerprint", key.Fingerprint);
            writer.WriteString("n", Base64(key.Modulus, ModulusBytes(key.Bits)));
            foreach ((string name, string value) in secrets)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void Write(string path, string text, bool ownerOnly)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        string temporary = path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (ownerOnly && !OperatingSystem.IsWindows())
        {
            // Only applies when the file is created: remove a leftover first so the mode is set from the start.
            File.Delete(temporary);
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(Encoding.UTF8.GetBytes(text));
        }

        File.Move(temporary, path, overwrite: true);
    }
}
