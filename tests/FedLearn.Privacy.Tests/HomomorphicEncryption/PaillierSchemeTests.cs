using System.Numerics;
using FedLearn.Privacy.HomomorphicEncryption;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.HomomorphicEncryption;

public sealed class PaillierSchemeTests
{
    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (IBigIntegerMath math in TestKeys.Backends())
        {
            yield return new TestCaseData(math, true).SetArgDisplayNames(math.Name, "packed");
            yield return new TestCaseData(math, false).SetArgDisplayNames(math.Name, "unpacked");
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Decrypt_of_encrypt_gives_the_values_back(IBigIntegerMath math, bool packing)
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options(packing), math);
        var random = new Random(5);
        long[] values = Enumerable.Range(0, 57).Select(_ => random.NextInt64(0, scheme.MaxValue + 1)).ToArray();
        values[0] = 0;
        values[1] = scheme.MaxValue;
        var back = new long[values.Length];

        int count = scheme.Decrypt(scheme.Encrypt(values), back);

        Assert.That(back, Is.EqualTo(values).AsCollection);
        Assert.That(count, Is.EqualTo(1));
    }

    [TestCaseSource(nameof(Cases))]
    public void Adding_ciphertexts_adds_the_plaintexts_and_scalars_multiply(IBigIntegerMath math, bool packing)
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options(packing), math);
        var random = new Random(6);
        long[][] vectors = Enumerable.Range(0, 5).Select(_ => Enumerable.Range(0, 30).Select(_ => random.NextInt64(0, scheme.MaxValue + 1)).ToArray()).ToArray();
        EncryptedVector sum = vectors.Select(v => scheme.Encrypt(v)).Aggregate(scheme.Add);
        var back = new long[30];

        int count = scheme.Decrypt(sum, back);
        int tripled = scheme.Decrypt(scheme.MultiplyPlain(sum, 3), back.AsSpan().ToArray());
        var times3 = new long[30];
        scheme.Decrypt(scheme.MultiplyPlain(sum, 3), times3);

        Assert.That(count, Is.EqualTo(5));
        Assert.That(back, Is.EqualTo(Enumerable.Range(0, 30).Select(i => vectors.Sum(v => v[i]))).AsCollection);
        Assert.That(tripled, Is.EqualTo(15));
        Assert.That(times3, Is.EqualTo(back.Select(v => 3 * v)).AsCollection);
    }

    [FsCheck.NUnit.Property(MaxTest = 20)]
    public bool Packing_round_trips_any_vector(int seed, byte lengthSeed)
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options(), ManagedBigIntegerMath.Instance);
        var random = new Random(seed);
        long[] values = Enumerable.Range(0, lengthSeed % 80).Select(_ => random.NextInt64(0, scheme.MaxValue + 1)).ToArray();
        var back = new long[values.Length];

        scheme.Decrypt(scheme.Encrypt(values), back);

        return back.SequenceEqual(values);
    }

    [Test]
    public void Packing_puts_many_values_in_one_ciphertext_with_padding_for_the_clients()
    {
        using var packed = new PaillierScheme(TestKeys.Key768, TestKeys.Options(maxClients: 16));
        using var unpacked = new PaillierScheme(TestKeys.Key768, TestKeys.Options(packing: false, maxClients: 16));

        // 16 clients × 2^16 needs 21 bits, plus one guard bit: 22-bit slots, 767 / 22 = 34 slots, one of them the count.
        Assert.That(packed.SlotBits, Is.EqualTo(22));
        Assert.That(packed.ValuesPerCiphertext, Is.EqualTo(33));
        Assert.That(unpacked.ValuesPerCiphertext, Is.EqualTo(1));
    }

    [Test]
    public void A_sum_beyond_the_padding_is_refused_when_adding()
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options(maxClients: 2));
        EncryptedVector one = scheme.Encrypt([1, 2, 3]);
        EncryptedVector two = scheme.Add(one, scheme.Encrypt([1, 2, 3]));

        Assert.That(() => scheme.Add(two, one), Throws.InvalidOperationException.With.Message.Contains("padding bits allow 2"));
    }

    [Test]
    public void An_overflowing_sum_is_detected_when_decrypting()
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options(maxClients: 2));
        EncryptedVector max = scheme.Encrypt([scheme.MaxValue, scheme.MaxValue]);
        // A sum whose counter lies (claims one contribution) smuggles in five: the plaintext still counts them.
        BigInteger[] product = max.Ciphertexts.ToArray();
        for (int k = 0; k < 4; k++)
        {
            product[0] = product[0] * max.Ciphertexts[0] % scheme.PublicKey.ModulusSquared;
        }

        var forged = new EncryptedVector(product, 2, 1);

        Assert.That(() => scheme.Decrypt(forged, new long[2]), Throws.InstanceOf<PaillierOverflowException>().With.Message.Contains("counts 5 contributions"));
    }

    [Test]
    public void Values_outside_the_slot_range_are_refused()
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options());

        Assert.That(() => scheme.Encrypt([scheme.MaxValue + 1]), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => scheme.Encrypt([-1]), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void The_server_side_cannot_decrypt()
    {
        using var server = new PaillierScheme(TestKeys.Key768.PublicKey, TestKeys.Options());

        Assert.That(server.CanDecrypt, Is.False);
        Assert.That(() => server.Decrypt(server.Encrypt([1]), new long[1]), Throws.InvalidOperationException.With.Message.Contains("only the public key"));
    }

    [Test]
    public void Precomputed_randomizers_are_used_once_each()
    {
        using var scheme = new PaillierScheme(TestKeys.Key768, TestKeys.Options());
        scheme.Precompute(4);

        EncryptedVector a = scheme.Encrypt([7]);
        EncryptedVector b = scheme.Encrypt([7]);

        Assert.That(a.Ciphertexts[0], Is.Not.EqualTo(b.Ciphertexts[0]));
        Assert.That(scheme.PrecomputedRandomizers, Is.EqualTo(2));
        Assert.That(scheme.RandomizerMisses, Is.Zero);
    }

    [Test]
    public void Options_refuse_short_keys_and_oversized_weights_together()
    {
        var options = new PaillierOptions { KeyBits = 1024, MaxWeight = 100, QuantizationRange = 10 };

        var exception = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new PaillierScheme(TestKeys.Key768.PublicKey, options))!;

        Assert.That(exception.Failures, Has.Some.Contains("KeyBits: must be 2048 or 3072"));
        Assert.That(exception.Failures, Has.Some.Contains("MaxWeight: (100) must not exceed QuantizationRange (10)"));
    }

    [Test]
    public void A_2048_bit_key_has_a_2048_bit_modulus_and_decrypts()
    {
        PaillierPrivateKey key = PaillierPrivateKey.Generate(2048);
        using var scheme = new PaillierScheme(key, new PaillierOptions());

        var back = new long[3];
        scheme.Decrypt(scheme.Encrypt([1, 2, 3]), back);

        Assert.That(key.PublicKey.Bits, Is.EqualTo(2048));
        Assert.That(back, Is.EqualTo(new long[] { 1, 2, 3 }).AsCollection);
    }
}
