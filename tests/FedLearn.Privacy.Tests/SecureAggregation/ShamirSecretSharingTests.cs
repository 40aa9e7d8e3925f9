using System.Security.Cryptography;
using FedLearn.Privacy.SecureAggregation;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.SecureAggregation;

public sealed class ShamirSecretSharingTests
{
    [FsCheck.NUnit.Property(MaxTest = 50)]
    public bool Any_threshold_shares_give_the_secret_back(byte holdersSeed, byte thresholdSeed, int pick)
    {
        int holders = 2 + (holdersSeed % 20);
        int threshold = 1 + (thresholdSeed % holders);
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        int[] xs = Enumerable.Range(0, holders).Select(i => 1 + (i * 37)).ToArray();
        ulong[][] shares = ShamirSecretSharing.Split(secret, threshold, xs);
        int[] chosen = Enumerable.Range(0, holders).OrderBy(i => HashCode.Combine(i, pick)).Take(threshold).ToArray();

        byte[] back = ShamirSecretSharing.Combine(chosen.Select(i => xs[i]).ToArray(), chosen.Select(i => shares[i]).ToArray(), 32);

        return back.SequenceEqual(secret);
    }

    [Test]
    public void Fewer_than_threshold_shares_give_something_else()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        int[] xs = [1, 2, 3, 4, 5];
        ulong[][] shares = ShamirSecretSharing.Split(secret, 3, xs);

        byte[] wrong = ShamirSecretSharing.Combine([1, 2], [shares[0], shares[1]], 32);

        Assert.That(wrong, Is.Not.EqualTo(secret));
    }

    [Test]
    public void Field_multiplication_matches_big_integer_arithmetic()
    {
        ulong a = ShamirSecretSharing.Prime - 3;
        ulong b = ShamirSecretSharing.Prime - 12345;
        var expected = (ulong)(new System.Numerics.BigInteger(a) * b % ShamirSecretSharing.Prime);

        Assert.That(ShamirSecretSharing.Multiply(a, b), Is.EqualTo(expected));
        Assert.That(ShamirSecretSharing.Multiply(a, ShamirSecretSharing.Inverse(a)), Is.EqualTo(1UL));
    }

    [Test]
    public void Repeated_holders_are_refused()
    {
        ulong[][] shares = ShamirSecretSharing.Split(new byte[32], 2, [1, 2]);

        Assert.That(() => ShamirSecretSharing.Combine([1, 1], shares, 32), Throws.ArgumentException.With.Message.Contains("appears twice"));
    }
}
