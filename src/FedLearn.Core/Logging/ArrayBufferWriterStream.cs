namespace FedLearn.Logging;

/// <summary>A growable in-memory stream whose written bytes are read back as a span, without a copy.</summary>
internal sealed class ArrayBufferWriterStream : MemoryStream
{
    public ReadOnlySpan<byte> WrittenSpan => GetBuffer().AsSpan(0, (int)Length);
}
