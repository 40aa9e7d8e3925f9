using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedLearn.Privacy.HomomorphicEncryption;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.HomomorphicEncryption;

public sealed class PaillierKeyFileTests
{
    private static PaillierPrivateKey Key => TestKeys.Key768;

    private string _directory = string.Empty;

    [SetUp]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("fedlearn-paillier-keys-").FullName;

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    [Test]
    public void A_written_key_pair_reads_back_and_decrypts_what_the_public_key_encrypted()
    {
        (string publicPath, string secretPath) = WritePair();

        PaillierPublicKey publicKey = PaillierKeyFile.ReadPublicKey(publicPath, expectedBits: 768);
        PaillierPrivateKey secretKey = PaillierKeyFile.ReadSecretKey(secretPath, expectedBits: 768);

        Assert.That(publicKey.Modulus, Is.EqualTo(Key.PublicKey.Modulus));
        Assert.That(publicKey.Fingerprint, Is.EqualTo(Key.PublicKey.Fingerprint).And.Match("^sha256:[0-9a-f]{64}$"));
        Assert.That(secretKey.PublicKey.Fingerprint, Is.EqualTo(publicKey.Fingerprint));
        using var server = new PaillierScheme(publicKey, TestKeys.Options());
        using var client = new PaillierScheme(secretKey, TestKeys.Options());
        long[] values = [0, 1, 2, 40_000, 65_535];
        var back = new long[values.Length];
        client.Decrypt(server.Encrypt(values), back);
        Assert.That(back, Is.EqualTo(values).AsCollection);
    }

    [Test]
    public void The_public_key_file_holds_no_secret_number()
    {
        using JsonDocument document = JsonDocument.Parse(PaillierKeyFile.FormatPublicKey(Key.PublicKey));

        Assert.That(document.RootElement.EnumerateObject().Select(p => p.Name), Is.EquivalentTo(new[] { "format", "version", "bits", "fingerprint", "n" }));
        Assert.That(document.RootElement.GetProperty("format").GetString(), Is.EqualTo(PaillierKeyFile.PublicKeyFormat));
        Assert.That(document.RootElement.GetProperty("version").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public void The_secret_key_file_is_readable_by_its_owner_only()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            Assert.Ignore("Unix file modes only.");
            return;
        }

        string path = Path.Combine(_directory, "secret", "k.key.json");
        File.WriteAllText(Path.Combine(_directory, "placeholder"), string.Empty);
        PaillierKeyFile.WriteSecretKey(Key, path);
        PaillierKeyFile.WriteSecretKey(Key, path);

        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.That(File.Exists(path + ".tmp"), Is.False);
    }

    [Test]
    public void A_development_pair_is_written_where_it_says_and_belongs_together()
    {
        PaillierKeyPairFiles files = PaillierKeyFile.CreateDevelopmentPair(Path.Combine(_directory, "pair"), 512, ManagedBigIntegerMath.Instance);

        Assert.That(PaillierKeyFile.ReadPublicKey(files.PublicKeyPath, 512).Fingerprint, Is.EqualTo(files.Fingerprint));
        Assert.That(PaillierKeyFile.ReadSecretKey(files.SecretKeyPath, 512).PublicKey.Fingerprint, Is.EqualTo(files.Fingerprint));
    }

    [Test]
    public void Each_kind_of_file_is_refused_where_the_other_is_expected_by_name()
    {
        (string publicPath, string secretPath) = WritePair();

        Assert.That(() => PaillierKeyFile.ReadPublicKey(secretPath), Throws.TypeOf<FedLearnFormatException>().With.Message.Contains(secretPath).And.Message.Contains("secret-key file, but a public key").And.Message.Contains("server must hold only the public key"));
        Assert.That(() => PaillierKeyFile.ReadSecretKey(publicPath), Throws.TypeOf<FedLearnFormatException>().With.Message.Contains("public-key file, but the secret key"));
    }

    [Test]
    public void A_key_of_another_size_than_configured_is_refused()
    {
        string text = PaillierKeyFile.FormatSecretKey(Key);

        Assert.That(() => PaillierKeyFile.ParseSecretKey(text, expectedBits: 2048), Throws.TypeOf<FedLearnFormatException>().With.Message.EqualTo("the key has 768 bits, but 2048 are configured."));
        Assert.That(() => PaillierKeyFile.ParsePublicKey(PaillierKeyFile.FormatPublicKey(Key.PublicKey), expectedBits: 1024), Throws.TypeOf<FedLearnFormatException>().With.Message.Contains("768 bits, but 1024"));
    }

    [TestCase("version", "2", "version 2 is not supported; this build reads version 1.")]
    [TestCase("version", "\"1\"", "\"version\" is missing or not an integer.")]
    [TestCase("format", "\"fedlearn.something\"", "the format is 'fedlearn.something', expected 'fedlearn.paillier.secret-key'.")]
    [TestCase("bits", "767", "\"bits\" is 767; a Paillier modulus has an even number of bits from 512 to 16384.")]
    [TestCase("bits", "1048576", "\"bits\" is 1048576")]
    [TestCase("bits", "1024", "\"n\" has 128 base64 characters; 128 bytes take 172 (truncated, or the key size is not the one \"bits\" says).")]
    [TestCase("fingerprint", "\"sha256:00\"", "the fingerprint 'sha256:00' is not n's")]
    [TestCase("n", "\"AAAA\"", "\"n\" has 4 base64 characters; 96 bytes take 128")]
    [TestCase("p", "\"!!\"", "\"p\" has 2 base64 characters; 48 bytes take 64")]
    [TestCase("extra", "1", "unknown member \"extra\"")]
    public void A_secret_key_file_with_a_bad_member_is_refused_naming_it(string member, string json, string expected)
    {
        JsonObject document = JsonNode.Parse(PaillierKeyFile.FormatSecretKey(Key))!.AsObject();
        document[member] = JsonNode.Parse(json);

        Assert.That(() => PaillierKeyFile.ParseSecretKey(document.ToJsonString()), Throws.TypeOf<FedLearnFormatException>().With.Message.Contains(expected));
    }

    [Test]
    public void Secret_numbers_that_do_not_multiply_to_n_are_refused()
    {
        PaillierPrivateKey other = PaillierPrivateKey.Generate(768, ManagedBigIntegerMath.Instance);
        JsonObject document = JsonNode.Parse(PaillierKeyFile.FormatSecretKey(Key))!.AsObject();
        JsonObject foreign = JsonNode.Parse(PaillierKeyFile.FormatSecretKey(other))!.AsObject();
        document["q"] = foreign["q"]!.GetValue<string>();

        Assert.That(() => PaillierKeyFile.ParseSecretKey(document.ToJsonString()), Throws.TypeOf<FedLearnFormatException>().With.Message.StartsWith("p × q is not n"));
    }

    [Test]
    public void A_factorization_into_non_primes_is_refused()
    {
        // n = p·q with q composite: a consistent-looking file that is not a Paillier key.
        BigInteger p = Key.P;
        BigInteger q = Key.Q;
        // Top two bits set (so p·q keeps 768 bits), odd, and a multiple of 3.
        BigInteger composite = (BigInteger.One << 383) | (BigInteger.One << 382) | 1;
        while (composite % 3 != 0)
        {
            composite += 2;
        }

        var key = new PaillierPublicKey(p * composite);
        JsonObject document = JsonNode.Parse(PaillierKeyFile.FormatSecretKey(Key))!.AsObject();
        document["bits"] = key.Bits;
        document["n"] = Convert.ToBase64String(key.Modulus.ToByteArray(isUnsigned: true, isBigEndian: true));
        document["fingerprint"] = key.Fingerprint;
        document["q"] = Convert.ToBase64String(composite.ToByteArray(isUnsigned: true, isBigEndian: true));
        Assume.That(key.Bits, Is.EqualTo(Key.PublicKey.Bits), "the forged modulus keeps the key size");
        Assume.That(q, Is.Not.EqualTo(composite));

        Assert.That(() => PaillierKeyFile.ParseSecretKey(document.ToJsonString()), Throws.TypeOf<FedLearnFormatException>().With.Message.EqualTo("p or q is not prime."));
    }

    [Test]
    public void An_oversized_file_is_refused_before_it_is_read()
    {
        string path = Path.Combine(_directory, "big.json");
        using (FileStream stream = File.Create(path))
        {
            stream.SetLength(PaillierKeyFile.MaxFileBytes + 1);
        }

        Assert.That(() => PaillierKeyFile.ReadPublicKey(path), Throws.TypeOf<FedLearnFormatException>().With.Message.Contains($"{PaillierKeyFile.MaxFileBytes + 1} bytes; a key file has at most {PaillierKeyFile.MaxFileBytes}"));
    }

    [Test]
    public void A_missing_file_is_an_io_error_naming_it()
    {
        string path = Path.Combine(_directory, "none.json");

        Assert.That(() => PaillierKeyFile.ReadSecretKey(path), Throws.InstanceOf<FileNotFoundException>().With.Message.Contains(path));
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public bool Every_truncation_of_a_key_file_is_refused_as_a_format_error(ushort cut, bool secret)
    {
        string text = secret ? PaillierKeyFile.FormatSecretKey(Key) : PaillierKeyFile.FormatPublicKey(Key.PublicKey);
        string truncated = text[..(cut % text.TrimEnd().Length)];
        return Refused(() => Parse(truncated, secret));
    }

    [FsCheck.NUnit.Property(MaxTest = 100)]
    public bool Any_changed_character_of_a_number_is_refused_as_a_format_error(ushort position, char replacement, bool secret)
    {
        string text = secret ? PaillierKeyFile.FormatSecretKey(Key) : PaillierKeyFile.FormatPublicKey(Key.PublicKey);
        int start = text.IndexOf("\"n\": \"", StringComparison.Ordinal) + 6;
        int end = text.LastIndexOf('"');
        int at = start + (position % (end - start));
        if (text[at] == replacement || text[at] is '"' or ',' or ' ' or '\n' or ':' || (text[at] == '=' && replacement == '='))
        {
            return true;
        }

        string changed = text[..at] + replacement + text[(at + 1)..];
        return Refused(() => Parse(changed, secret));
    }

    [FsCheck.NUnit.Property(MaxTest = 200)]
    public bool Arbitrary_text_is_refused_as_a_format_error(string text) =>
        Refused(() => _ = PaillierKeyFile.ParsePublicKey(text ?? string.Empty));

    /// <summary>Writes <see cref="Key"/>'s public and secret key files into the test's folder.</summary>
    private (string PublicPath, string SecretPath) WritePair()
    {
        string publicPath = Path.Combine(_directory, "k.pub.json");
        string secretPath = Path.Combine(_directory, "k.key.json");
        PaillierKeyFile.WritePublicKey(Key.PublicKey, publicPath);
        PaillierKeyFile.WriteSecretKey(Key, secretPath);
        return (publicPath, secretPath);
    }

    private static void Parse(string text, bool secret)
    {
        if (secret)
        {
            _ = PaillierKeyFile.ParseSecretKey(text);
        }
        else
        {
            _ = PaillierKeyFile.ParsePublicKey(text);
        }
    }

    private static bool Refused(Action parse)
    {
        try
        {
            parse();
            return false;
        }
        catch (FedLearnFormatException)
        {
            return true;
        }
    }
}
