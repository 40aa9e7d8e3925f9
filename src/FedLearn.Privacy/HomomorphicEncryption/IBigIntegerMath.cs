using System.Numerics;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// The big-integer operations Paillier spends its time in. Two implementations: GMP through P/Invoke
/// (<see cref="GmpBigIntegerMath"/>) and managed <see cref="BigInteger"/> (<see cref="ManagedBigIntegerMath"/>); they
/// give identical results. All arguments are non-negative. Thread-safe.
/// </summary>
public interface IBigIntegerMath
{
    /// <summary>Name for logs and results (<c>gmp</c> or <c>managed</c>).</summary>
    string Name { get; }

    /// <summary><paramref name="value"/>^<paramref name="exponent"/> mod <paramref name="modulus"/>.</summary>
    BigInteger ModPow(BigInteger value, BigInteger exponent, BigInteger modulus);

    /// <summary><paramref name="left"/>·<paramref name="right"/> mod <paramref name="modulus"/>.</summary>
    BigInteger ModMultiply(BigInteger left, BigInteger right, BigInteger modulus);

    /// <summary>Whether <paramref name="candidate"/> is prime, with error probability below 2^-80.</summary>
    bool IsProbablePrime(BigInteger candidate);
}
