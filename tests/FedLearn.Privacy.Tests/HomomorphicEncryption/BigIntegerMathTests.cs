using System.Numerics;
using System.Security.Cryptography;
using FedLearn.Privacy.HomomorphicEncryption;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.HomomorphicEncryption;

public sealed class BigIntegerMathTests
{
    [Test]
    public void Gmp_and_managed_agree_on_random_operands()
    {
        Assume.That(GmpBigIntegerMath.IsAvailable, "libgmp.so.10 is not installed");
        var gmp = new GmpBigIntegerMath();
        IBigIntegerMath managed = ManagedBigIntegerMath.Instance;
        for (int trial = 0; trial < 20; trial++)
        {
            BigInteger modulus = Random(1536) | 1;
            BigInteger a = Random(1600) % modulus;
            BigInteger b = Random(1600) % modulus;
            BigInteger e = Random(512);

            Assert.That(gmp.ModPow(a, e, modulus), Is.EqualTo(managed.ModPow(a, e, modulus)));
            Assert.That(gmp.ModMultiply(a, b, modulus), Is.EqualTo(managed.ModMultiply(a, b, modulus)));
        }

        Assert.That(gmp.ModPow(0, 5, 7), Is.EqualTo(BigInteger.Zero));
    }

    [Test]
    public void Both_backends_recognise_primes_and_composites()
    {
        BigInteger mersenne = (BigInteger.One << 521) - 1;
        BigInteger composite = ((BigInteger.One << 127) - 1) * ((BigInteger.One << 89) - 1);
        foreach (IBigIntegerMath math in TestKeys.Backends())
        {
            Assert.That(math.IsProbablePrime(mersenne), Is.True, math.Name);
            Assert.That(math.IsProbablePrime(composite), Is.False, math.Name);
            Assert.That(math.IsProbablePrime(561), Is.False, math.Name);
        }
    }

    [Test]
    public void Keys_made_with_either_backend_decrypt_with_the_other()
    {
        Assume.That(GmpBigIntegerMath.IsAvailable, "libgmp.so.10 is not installed");
        PaillierPrivateKey key = PaillierPrivateKey.Generate(768, new GmpBigIntegerMath());
        using var encrypting = new PaillierScheme(key, TestKeys.Options(), new GmpBigIntegerMath());
        using var decrypting = new PaillierScheme(key, TestKeys.Options(), ManagedBigIntegerMath.Instance);
        var back = new long[4];

        decrypting.Decrypt(encrypting.Encrypt([4, 3, 2, 1]), back);

        Assert.That(back, Is.EqualTo(new long[] { 4, 3, 2, 1 }).AsCollection);
    }

    private static BigInteger Random(int bits) => new(RandomNumberGenerator.GetBytes(bits / 8), isUnsigned: true);
}
