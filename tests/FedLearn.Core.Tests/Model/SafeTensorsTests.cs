using NUnit.Framework;
using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace FedLearn.Core.Tests.Model;

[TestFixture]
public sealed class SafeTensorsTests
{
    private static ModelWeights Sample()
    {
        var weights = new ModelWeights([("conv.weight", [2, 1, 2, 2]), ("conv.bias", [2]), ("fc.weight", [3, 8]), ("scale", [])]);
        var random = new DeterministicRandom(3);
        for (int i = 0; i < weights.Length; i++)
        {
            weights.Values[i] = (float)random.NextGaussian();
        }

        return weights;
    }

    [Test]
    public void Round_trip_keeps_names_shapes_order_and_bits()
    {
        ModelWeights weights = Sample();
        using var stream = new MemoryStream();
        SafeTensors.Write(weights, stream, new Dictionary<string, string> { ["format"] = "pt" });
        stream.Position = 0;

        ModelWeights read = SafeTensors.Read(stream, out IReadOnlyDictionary<string, string> metadata);

        Assert.That(read.HasSameLayout(weights), Is.True);
        Assert.That(read.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "conv.weight", "conv.bias", "fc.weight", "scale" }));
        Assert.That(read.Values, Is.EqualTo(weights.Values));
        Assert.That(metadata["format"], Is.EqualTo("pt"));
    }

    [Test]
    public void Written_file_follows_the_safetensors_layout()
    {
        ModelWeights weights = Sample();
        using var stream = new MemoryStream();
        SafeTensors.Write(weights, stream);
        byte[] bytes = stream.ToArray();

        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.That(headerLength % 8, Is.Zero, "data must start 8-byte aligned");
        Assert.That((long)bytes.Length, Is.EqualTo(8 + (long)headerLength + (weights.Length * 4)));
        using JsonDocument header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, (int)headerLength).TrimEnd(' '));
        JsonElement fc = header.RootElement.GetProperty("fc.weight");
        Assert.That(fc.GetProperty("dtype").GetString(), Is.EqualTo("F32"));
        Assert.That(fc.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 3, 8 }));
        int begin = weights.GetInfo("fc.weight").Offset * 4;
        Assert.That(fc.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()), Is.EqualTo(new long[] { begin, begin + (24 * 4) }));
        float first = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)headerLength + begin));
        Assert.That(first, Is.EqualTo(weights.GetTensor("fc.weight")[0]));
    }

    [Test]
    public void Reads_a_file_written_by_another_implementation_with_keys_out_of_data_order()
    {
        // Two tensors whose JSON keys are not in data order, an unpadded header and metadata, as other writers produce.
        string json = "{\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]},\"__metadata__\":{\"format\":\"pt\"},\"a\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}";
        byte[] header = Encoding.UTF8.GetBytes(json);
        using var stream = new MemoryStream();
        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        Span<byte> buffer = stackalloc byte[4];
        foreach (float value in new[] { 1f, 2f, 3f, 4f })
        {
            BinaryPrimitives.WriteSingleLittleEndian(buffer, value);
            stream.Write(buffer);
        }

        stream.Position = 0;
        ModelWeights read = SafeTensors.Read(stream, out _);

        Assert.That(read.Tensors.Select(t => t.Name), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(read.GetTensor("a").ToArray(), Is.EqualTo(new[] { 1f, 2f }));
        Assert.That(read.GetTensor("b").ToArray(), Is.EqualTo(new[] { 3f, 4f }));
        Assert.That(read.GetInfo("a").Shape, Is.EqualTo(new[] { 1, 2 }));
    }

    private static byte[] Valid()
    {
        using var stream = new MemoryStream();
        SafeTensors.Write(Sample(), stream);
        return stream.ToArray();
    }

    private static FedLearnFormatException ReadBroken(byte[] bytes) =>
        Assert.Throws<FedLearnFormatException>(() => SafeTensors.Read(new MemoryStream(bytes), out _))!;

    [Test]
    public void Truncated_data_is_rejected()
    {
        byte[] bytes = Valid();
        Assert.That(ReadBroken(bytes[..^4]).Message, Does.Contain("data section has"));
    }

    [Test]
    public void A_header_longer_than_the_file_is_rejected_before_allocating()
    {
        byte[] bytes = Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, 90_000_000);
        Assert.That(ReadBroken(bytes).Message, Does.Contain("header claims 90000000 bytes"));
    }

    [Test]
    public void An_absurd_header_length_is_rejected()
    {
        byte[] bytes = Valid();
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        Assert.That(ReadBroken(bytes).Message, Does.Contain("outside 1.."));
    }

    [Test]
    public void Unsupported_dtype_and_inconsistent_offsets_are_named()
    {
        byte[] bytes = Valid();
        string text = Encoding.Latin1.GetString(bytes);
        byte[] f16 = Encoding.Latin1.GetBytes(text.Replace("\"F32\"", "\"F16\"", StringComparison.Ordinal));
        Assert.That(ReadBroken(f16).Message, Does.Contain("dtype 'F16'"));

        byte[] shape = Encoding.Latin1.GetBytes(text.Replace("\"shape\":[3,8]", "\"shape\":[3,9]", StringComparison.Ordinal));
        Assert.That(ReadBroken(shape).Message, Does.Contain("'fc.weight' with shape [3, 9] needs 108 bytes"));
    }

    [Test]
    public void Garbage_header_is_rejected()
    {
        byte[] bytes = Valid();
        bytes[9] = (byte)'#';
        Assert.That(ReadBroken(bytes).Message, Does.Contain("not valid JSON"));
    }
}
