namespace FedLearn.Privacy.SecureAggregation;

/// <summary>
/// SecAgg+ stage 4: a client's masked input, the quantized weighted delta followed by the weight, each plus the masks,
/// modulo the round's modulus. Uniformly random to anyone without the masks. The payload owns the array.
/// </summary>
public sealed class MaskedUpdatePayload : UpdatePayload
{
    /// <summary>Wraps a masked vector of <paramref name="elementCount"/> + 1 words.</summary>
    /// <param name="values">Masked quantized delta, then the masked weight.</param>
    /// <param name="elementCount">Model parameters.</param>
    /// <param name="bytesPerWord">Bytes per word on the wire (the modulus' bytes, 1 to 4).</param>
    public MaskedUpdatePayload(uint[] values, int elementCount, int bytesPerWord)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != elementCount + 1)
        {
            throw new ArgumentException($"a masked vector for {elementCount} parameters has {elementCount + 1} words, not {values.Length}.", nameof(values));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerWord, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytesPerWord, 4);
        Values = values;
        ElementCount = elementCount;
        BytesPerWord = bytesPerWord;
    }

    /// <summary>The masked words.</summary>
    public uint[] Values { get; }

    /// <summary>Bytes per word on the wire.</summary>
    public int BytesPerWord { get; }

    /// <inheritdoc />
    public override int ElementCount { get; }

    /// <inheritdoc />
    public override long ByteSize => Values.LongLength * BytesPerWord;
}
