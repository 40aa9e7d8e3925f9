namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>Picks the big-integer backend.</summary>
public static class BigIntegerMath
{
    /// <summary>GMP when it can be loaded, managed <see cref="System.Numerics.BigInteger"/> otherwise.</summary>
    public static IBigIntegerMath Best() => GmpBigIntegerMath.IsAvailable ? new GmpBigIntegerMath() : ManagedBigIntegerMath.Instance;
}
