namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>A client's update encrypted with an <see cref="IHomomorphicScheme"/>: the quantized weighted delta, then the weight.</summary>
public sealed class EncryptedUpdatePayload : UpdatePayload
{
    /// <summary>Wraps an encrypted vector of <paramref name="elementCount"/> + 1 values.</summary>
    public EncryptedUpdatePayload(EncryptedVector vector, int elementCount, int ciphertextBytes)
    {
        ArgumentNullException.ThrowIfNull(vector);
        if (vector.Length != elementCount + 1)
        {
            throw new ArgumentException($"an encrypted update for {elementCount} parameters holds {elementCount + 1} values, not {vector.Length}.", nameof(vector));
        }

        Vector = vector;
        ElementCount = elementCount;
        CiphertextBytes = ciphertextBytes;
    }

    /// <summary>The encrypted values.</summary>
    public EncryptedVector Vector { get; }

    /// <summary>Bytes per ciphertext on the wire.</summary>
    public int CiphertextBytes { get; }

    /// <inheritdoc />
    public override int ElementCount { get; }

    /// <inheritdoc />
    public override long ByteSize => (long)Vector.Ciphertexts.Length * CiphertextBytes;
}
