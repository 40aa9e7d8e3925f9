namespace FedLearn.Privacy.SecureAggregation;

/// <summary>A neighbour's two public keys, as the server forwards them.</summary>
/// <param name="Index">The neighbour's index in the round (1-based), its Shamir x-coordinate.</param>
/// <param name="EncryptionKey">P-256 public key for the shares (65 bytes, uncompressed).</param>
/// <param name="MaskingKey">P-256 public key for the pairwise masks (65 bytes, uncompressed).</param>
public sealed record NeighbourKeys(int Index, byte[] EncryptionKey, byte[] MaskingKey);
