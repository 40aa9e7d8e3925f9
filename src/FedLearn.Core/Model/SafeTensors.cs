using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace FedLearn;

/// <summary>
/// Reads and writes <see cref="ModelWeights"/> in the safetensors format (an 8-byte little-endian header
/// length, a JSON header mapping each tensor to its dtype, shape and byte range, then the raw little-endian
/// data), so a FedLearn checkpoint opens in PyTorch with <c>safetensors.torch.load_file</c> and back.
/// </summary>
/// <remarks>
/// Only <c>F32</c> tensors are read; other dtypes are rejected with a clear error. Tensor order is kept:
/// on write, data follows <see cref="ModelWeights.Tensors"/>; on read, tensors are ordered by data offset.
/// Every length is checked against the stream and the header limit before allocation.
/// </remarks>
public static class SafeTensors
{
    /// <summary>The largest JSON header accepted by default (100 MB, as the reference implementation).</summary>
    public const int DefaultMaxHeaderBytes = 100_000_000;

    /// <summary>Writes the weights to a stream, with optional string metadata under <c>__metadata__</c>.</summary>
    public static void Write(ModelWeights weights, Stream destination, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(destination);

        using var headerBuffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(headerBuffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (KeyValuePair<string, string> pair in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    json.WriteString(pair.Key, pair.Value);
                }

                json.WriteEndObject();
            }

            foreach (TensorInfo tensor in weights.Tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", "F32");
                json.WriteStartArray("shape");
                foreach (int dimension in tensor.Shape)
                {
                    json.WriteNumberValue(dimension);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue((long)tensor.Offset * sizeof(float));
                json.WriteNumberValue((long)(tensor.Offset + tensor.ElementCount) * sizeof(float));
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
        int headerLength = (int)headerBuffer.Length;
        int padded = (headerLength + 7) & ~7;
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)padded);
        destination.Write(prefix);
        destination.Write(headerBuffer.GetBuffer().AsSpan(0, headerLength));
        for (int i = headerLength; i < padded; i++)
        {
            destination.WriteByte((byte)' ');
        }

        WriteLittleEndian(weights.Values, destination);
    }

    /// <summary>Writes the weights to a file (replacing it atomically through a temporary file).</summary>
    public static void WriteFile(ModelWeights weights, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Write(weights, stream, metadata);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads weights from a file.</summary>
    /// <exception cref="FedLearnFormatException">The file is not a valid F32 safetensors file.</exception>
    public static ModelWeights ReadFile(string path) => ReadFile(path, out _);

    /// <summary>Reads weights and metadata from a file.</summary>
    /// <exception cref="FedLearnFormatException">The file is not a valid F32 safetensors file.</exception>
    public static ModelWeights ReadFile(string path, out IReadOnlyDictionary<string, string> metadata)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Read(stream, out metadata);
    }

    /// <summary>Reads weights and metadata from a seekable stream positioned at the start of the file.</summary>
    /// <exception cref="FedLearnFormatException">The data is not a valid F32 safetensors file.</exception>
    public static ModelWeights Read(Stream source, out IReadOnlyDictionary<string, string> metadata, int maxHeaderBytes = DefaultMaxHeaderBytes)
    {
        ArgumentNullException.ThrowIfNull(source);
        long available = source.CanSeek ? source.Length - source.Position : long.MaxValue;

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(source, prefix, "the 8-byte header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength == 0 || headerLength > (ulong)maxHeaderBytes)
        {
            throw new FedLearnFormatException($"safetensors: header length {headerLength} is outside 1..{maxHeaderBytes} bytes.");
        }

        if ((long)headerLength > available - 8)
        {
            throw new FedLearnFormatException($"safetensors: header claims {headerLength} bytes but only {available - 8} follow.");
        }

        byte[] header = new byte[(int)headerLength];
        ReadExactly(source, header, "the JSON header");
        long dataLength = available == long.MaxValue ? -1 : available - 8 - (long)headerLength;

        var entries = new List<(string Name, int[] Shape, long Begin, long End)>();
        var meta = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using JsonDocument document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' '));
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new FedLearnFormatException("safetensors: the header is not a JSON object.");
            }

            foreach (JsonProperty property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (JsonProperty item in property.Value.EnumerateObject())
                    {
                        meta[item.Name] = item.Value.GetString() ?? string.Empty;
                    }

                    continue;
                }

                entries.Add(ParseEntry(property));
            }
        }
        catch (JsonException exception)
        {
            throw new FedLearnFormatException($"safetensors: the header is not valid JSON ({exception.Message}).", exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new FedLearnFormatException($"safetensors: the header has a field of the wrong type ({exception.Message}).", exception);
        }

        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        long expected = 0;
        foreach ((string name, int[] shape, long begin, long end) in entries)
        {
            if (begin != expected)
            {
                throw new FedLearnFormatException($"safetensors: tensor '{name}' starts at byte {begin} but the previous tensor ends at {expected} (gaps and overlaps are not allowed).");
            }

            long bytes = (long)TensorInfo.ElementCountOf(shape) * sizeof(float);
            if (end - begin != bytes)
            {
                throw new FedLearnFormatException($"safetensors: tensor '{name}' with shape [{string.Join(", ", shape)}] needs {bytes} bytes but its data_offsets span {end - begin}.");
            }

            expected = end;
        }

        if (dataLength >= 0 && expected != dataLength)
        {
            throw new FedLearnFormatException($"safetensors: the tensors cover {expected} bytes but the data section has {dataLength}.");
        }

        if (expected / sizeof(float) > Array.MaxLength)
        {
            throw new FedLearnFormatException($"safetensors: {expected} bytes of data exceed the largest buffer one model can hold.");
        }

        float[] values = new float[expected / sizeof(float)];
        ReadExactly(source, MemoryMarshal.AsBytes(values.AsSpan()), "the tensor data");
        if (!BitConverter.IsLittleEndian)
        {
            ReverseEndianness(values);
        }

        metadata = meta;
        return ModelWeights.FromBuffer(entries.Select(e => (e.Name, e.Shape)), values);
    }

    private static (string Name, int[] Shape, long Begin, long End) ParseEntry(JsonProperty property)
    {
        JsonElement value = property.Value;
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new FedLearnFormatException($"safetensors: entry '{property.Name}' is not an object.");
        }

        string dtype = value.TryGetProperty("dtype", out JsonElement d) ? d.GetString() ?? string.Empty : string.Empty;
        if (dtype != "F32")
        {
            throw new FedLearnFormatException($"safetensors: tensor '{property.Name}' has dtype '{dtype}'; only F32 is supported.");
        }

        if (!value.TryGetProperty("shape", out JsonElement shapeElement) || shapeElement.ValueKind != JsonValueKind.Array)
        {
            throw new FedLearnFormatException($"safetensors: tensor '{property.Name}' has no shape array.");
        }

        int[] shape = shapeElement.EnumerateArray().Select(e => e.GetInt32()).ToArray();
        if (shape.Any(s => s < 0))
        {
            throw new FedLearnFormatException($"safetensors: tensor '{property.Name}' has a negative dimension.");
        }

        if (!value.TryGetProperty("data_offsets", out JsonElement offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
        {
            throw new FedLearnFormatException($"safetensors: tensor '{property.Name}' needs data_offsets [begin, end].");
        }

        long begin = offsets[0].GetInt64();
        long end = offsets[1].GetInt64();
        if (begin < 0 || end < begin)
        {
            throw new FedLearnFormatException($"safetensors: tensor '{property.Name}' has invalid data_offsets [{begin}, {end}].");
        }

        try
        {
            _ = TensorInfo.ElementCountOf(shape);
        }
        catch (ArgumentException exception)
        {
            throw new FedLearnFormatException($"safetensors: tensor '{property.Name}': {exception.Message}", exception);
        }

        return (property.Name, shape, begin, end);
    }

    private static void WriteLittleEndian(float[] values, Stream destination)
    {
        if (BitConverter.IsLittleEndian)
        {
            destination.Write(MemoryMarshal.AsBytes(values.AsSpan()));
            return;
        }

        float[] copy = (float[])values.Clone();
        ReverseEndianness(copy);
        destination.Write(MemoryMarshal.AsBytes(copy.AsSpan()));
    }

    private static void ReverseEndianness(float[] values)
    {
        Span<int> bits = MemoryMarshal.Cast<float, int>(values.AsSpan());
        BinaryPrimitives.ReverseEndianness(bits, bits);
    }

    private static void ReadExactly(Stream source, Span<byte> buffer, string what)
    {
        try
        {
            source.ReadExactly(buffer);
        }
        catch (EndOfStreamException exception)
        {
            throw new FedLearnFormatException($"safetensors: the stream ended inside {what}.", exception);
        }
    }
}
