namespace FedLearn;

/// <summary>
/// The body of a client update: the model delta (local weights minus global weights), either dense or encoded
/// by an <see cref="ICompressor"/>. Other packages add kinds (for example masked vectors for secure aggregation).
/// </summary>
public abstract class UpdatePayload
{
    /// <summary>Number of model parameters the payload describes.</summary>
    public abstract int ElementCount { get; }

    /// <summary>Bytes this payload occupies on the wire (headers included).</summary>
    public abstract long ByteSize { get; }
}

/// <summary>A dense float32 delta. The payload owns the array; readers must not modify it.</summary>
public sealed class DenseUpdatePayload : UpdatePayload
{
    /// <summary>Wraps a delta vector.</summary>
    public DenseUpdatePayload(float[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Values = values;
    }

    /// <summary>The delta.</summary>
    public float[] Values { get; }

    /// <inheritdoc />
    public override int ElementCount => Values.Length;

    /// <inheritdoc />
    public override long ByteSize => (long)Values.Length * sizeof(float);
}

/// <summary>A delta encoded by an <see cref="ICompressor"/>; decode it with the same compressor.</summary>
public sealed class EncodedUpdatePayload : UpdatePayload
{
    /// <summary>Wraps encoded bytes.</summary>
    /// <param name="bytes">The whole encoded payload, header included.</param>
    /// <param name="elementCount">Number of parameters it decodes to.</param>
    public EncodedUpdatePayload(ReadOnlyMemory<byte> bytes, int elementCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(elementCount);
        Bytes = bytes;
        ElementCount = elementCount;
    }

    /// <summary>The encoded bytes.</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <inheritdoc />
    public override int ElementCount { get; }

    /// <inheritdoc />
    public override long ByteSize => Bytes.Length;
}
