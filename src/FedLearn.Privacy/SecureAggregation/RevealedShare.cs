namespace FedLearn.Privacy.SecureAggregation;

/// <summary>A share a survivor reveals at unmasking.</summary>
/// <param name="Owner">Index of the client whose secret it is.</param>
/// <param name="Kind">Which secret.</param>
/// <param name="Limbs">The share: field elements modulo 2^61 − 1.</param>
public sealed record RevealedShare(int Owner, ShareKind Kind, ulong[] Limbs)
{
    internal long ByteSize => sizeof(int) + 1 + (Limbs.LongLength * sizeof(ulong));
}
