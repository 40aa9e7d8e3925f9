using System.Buffers.Binary;
using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.Tests.Wire;
using FedLearn.Compression.TopK;
using FedLearn.Compression.Wire;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Pipeline;

/// <summary>
/// What format version 3 adds to version 2 — plain packed values when rANS would not be smaller, and Rice parameters
/// per block of positions — and that version 2 payloads still decode while version-3-only content in them is refused.
/// </summary>
public sealed class FormatVersionThreeTests
{
    // Header (20), then quantization bits and Rice parameter: the flag field, then the kept count and chunk size,
    // then the index section's length (4) and its coding byte.
    private const int FlagOffset = 22;
    private const int IndexCodingOffset = 36;

    [Test]
    public void Few_kept_values_are_packed_plainly_when_rans_would_not_pay_for_its_frequency_table()
    {
        // 200 kept 8-bit codes: the table of the symbols they use costs more than rANS saves on 200 values.
        float[] x = Chains.Gaussian(20_000, 11);
        ICompressor entropy = CompressionPipelineBuilder.Parse("topk:0.01,q:8,entropy").Build();
        ICompressor plain = CompressionPipelineBuilder.Parse("topk:0.01,q:8").Build();
        byte[] coded = Encode(entropy, x);
        byte[] packed = Encode(plain, x);

        Assert.That(Flags(coded), Is.EqualTo(1), "values flagged as packed plainly");
        Assert.That(coded, Has.Length.EqualTo(packed.Length), "the same sections as the chain without entropy coding");
        Assert.That(coded.AsSpan(WireHeader.Size + 4).ToArray(), Is.EqualTo(Flagless(packed).AsSpan(WireHeader.Size + 4).ToArray()), "byte for byte after the flag field");
        Assert.That(Chains.RoundTrip(entropy, x), Is.EqualTo(Chains.RoundTrip(plain, x)));
        Assert.That(ChainReference.Check(entropy, x, Chains.RoundTrip(entropy, x)), Is.Null);
    }

    [Test]
    public void Many_kept_values_stay_rans_coded_and_unflagged()
    {
        float[] x = Chains.Gaussian(100_000, 12);
        byte[] coded = Encode(CompressionPipelineBuilder.Parse("topk:0.1,q:8,entropy").Build(), x);
        byte[] packed = Encode(CompressionPipelineBuilder.Parse("topk:0.1,q:8").Build(), x);

        Assert.That(Flags(coded), Is.Zero);
        Assert.That(coded.Length, Is.LessThan(packed.Length));
    }

    [Test]
    public void Positions_that_cluster_by_layer_are_block_coded_and_decode_exactly()
    {
        float[] x = Layered();
        ICompressor compressor = CompressionPipelineBuilder.Parse("topk:0.01,q:8,entropy").Build();
        Assert.That(Encode(compressor, x)[IndexCodingOffset], Is.EqualTo((byte)IndexCoding.BlockRiceGaps));
        Assert.That(ChainReference.Check(compressor, x, Chains.RoundTrip(compressor, x)), Is.Null);
    }

    [Test]
    public void A_version_two_payload_still_decodes()
    {
        float[] x = Chains.Gaussian(10_000, 13);
        ICompressor compressor = CompressionPipelineBuilder.Parse("ef,topk:0.1,q:8,entropy").Build();
        byte[] payload = Encode(compressor, x);
        Assert.That(payload[IndexCodingOffset], Is.EqualTo((byte)IndexCoding.RiceGaps), "nothing version 3 added is in it");
        Assert.That(Flags(payload), Is.Zero);

        byte[] old = AsVersion(payload, WireHeader.PreviousVersion);
        float[] fromOld = new float[x.Length];
        float[] fromNew = new float[x.Length];
        compressor.Decompress(old, fromOld);
        compressor.Decompress(payload, fromNew);
        Assert.That(fromOld, Is.EqualTo(fromNew));
    }

    [Test]
    public void Version_three_content_in_a_version_two_payload_is_refused()
    {
        ICompressor few = CompressionPipelineBuilder.Parse("topk:0.01,q:8,entropy").Build();
        byte[] flagged = Encode(few, Chains.Gaussian(20_000, 11));
        AssertRejected(few, AsVersion(flagged, WireHeader.PreviousVersion), 20_000, "reserved field is 0x0001; it must be zero in format version 2");

        ICompressor clustered = CompressionPipelineBuilder.Parse("topk:0.01,q:8,entropy").Build();
        float[] x = Layered();
        byte[] blocks = Encode(clustered, x);
        AssertRejected(clustered, AsVersion(blocks, WireHeader.PreviousVersion), x.Length, "coding byte 2 (Rice-coded gaps in blocks), which format version 2 does not have");
    }

    [Test]
    public void Bad_flags_are_rejected_naming_the_field()
    {
        ICompressor entropy = CompressionPipelineBuilder.Parse("topk:0.1,q:8,entropy").Build();
        byte[] rans = Encode(entropy, Chains.Gaussian(100_000, 12));
        AssertRejected(entropy, WithFlags(rans, 2), 100_000, "flag field is 0x0002; format version 3 defines only 0x0001");

        // Flagged as packed, but the section is still the shorter rANS code.
        AssertRejected(entropy, WithFlags(rans, 1), 100_000, "value section is");

        ICompressor plain = CompressionPipelineBuilder.Parse("topk:0.1,q:8").Build();
        byte[] packed = Encode(plain, Chains.Gaussian(1_000, 14));
        AssertRejected(plain, WithFlags(packed, 1), 1_000, "this chain does not entropy-code its values");
    }

    // Four layers of 50,000 whose scales differ by factors of ten: the top 1% falls almost all in the largest.
    private static float[] Layered()
    {
        float[] x = new float[200_000];
        double[] scales = [0.01, 1, 0.001, 0.1];
        for (int layer = 0; layer < scales.Length; layer++)
        {
            float[] values = Chains.Gaussian(50_000, (ulong)(20 + layer), scales[layer]);
            values.CopyTo(x, layer * 50_000);
        }

        return x;
    }

    private static byte[] Encode(ICompressor compressor, float[] x) => compressor.Compress(x, Chains.Context()).Bytes.ToArray();

    private static ushort Flags(byte[] payload) => BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(FlagOffset));

    private static byte[] AsVersion(byte[] payload, ushort version)
    {
        byte[] copy = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(4), version);
        return WireHeaderTests.Resign(copy);
    }

    private static byte[] WithFlags(byte[] payload, ushort flags)
    {
        byte[] copy = (byte[])payload.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(FlagOffset), flags);
        return WireHeaderTests.Resign(copy);
    }

    private static byte[] Flagless(byte[] payload) => WithFlags(payload, 0);

    private static void AssertRejected(ICompressor compressor, byte[] payload, int n, string expected)
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => compressor.Decompress(payload, new float[n]));
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
