using System.Buffers.Binary;
using FedLearn.Compression.Tests.Support;
using FedLearn.Compression.Wire;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Wire;

public sealed class WireHeaderTests
{
    private static readonly ICompressor Hybrid = CompressionPipelineBuilder.Parse("ef,topk:0.1,q:8,entropy").Build();

    [Test]
    public void Every_payload_starts_with_magic_version_chain_count_length_and_checksum()
    {
        byte[] payload = Encode(Chains.Gaussian(1000, 1));
        Assert.That(payload.AsSpan(0, 4).ToArray(), Is.EqualTo("FLCZ"u8.ToArray()));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(payload.AsSpan(4)), Is.EqualTo(WireHeader.Version));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(8)), Is.EqualTo(1000u));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(12)), Is.EqualTo((uint)(payload.Length - WireHeader.Size)));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(payload.AsSpan(16)), Is.EqualTo(WireHeader.Checksum(payload)));
    }

    [TestCase(0, "shorter than the 20-byte header")]
    [TestCase(19, "shorter than the 20-byte header")]
    public void Short_payloads_are_rejected(int length, string expected) =>
        AssertRejected(new byte[length], 1000, expected);

    [Test]
    public void Each_header_field_is_checked_with_a_message_naming_it()
    {
        byte[] good = Encode(Chains.Gaussian(1000, 2));
        AssertRejected(Mutate(good, p => p[0] ^= 1), 1000, "magic");
        AssertRejected(Mutate(good, p => p[4] = 9), 1000, "format version 9");
        AssertRejected(good[..^1], 1000, "truncated or padded");
        AssertRejected([.. good, 0], 1000, "truncated or padded");
        AssertRejected(Mutate(good, p => BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(8), 999)), 1000, "holds 999 elements but the destination has 1000");
        AssertRejected(good, 1001, "destination has 1001");
        AssertRejected(Mutate(good, p => p[^1] ^= 0x40), 1000, "checksum does not match");
        AssertRejected(Resign(Mutate(good, p => p[6] ^= 0x10)), 1000, "encoded by codec chain");
    }

    [Test]
    public void A_version_one_payload_is_rejected_with_a_message_saying_why()
    {
        byte[] old = Resign(Mutate(Encode(Chains.Gaussian(1000, 4)), p => BinaryPrimitives.WriteUInt16LittleEndian(p.AsSpan(4), WireHeader.RawIndexVersion)));
        AssertRejected(old, 1000, "format version 1, whose top-k index section (raw packed positions) this decoder no longer reads");
    }

    [Test]
    public void An_element_count_above_the_configured_maximum_is_rejected_before_anything_else()
    {
        var small = new CompressionPipelineBuilder { MaxElementCount = 500 }.TopK(0.1).Build();
        byte[] payload = Encode(Chains.Gaussian(1000, 3));
        var ex = Assert.Throws<FedLearnFormatException>(() => small.Decompress(payload, new float[1000]));
        Assert.That(ex!.Message, Does.Contain("more than the configured maximum of 500"));
    }

    internal static byte[] Resign(byte[] payload)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(payload.AsSpan(16), WireHeader.Checksum(payload));
        return payload;
    }

    private static byte[] Encode(float[] x) => Hybrid.Compress(x, Chains.Context()).Bytes.ToArray();

    private static byte[] Mutate(byte[] payload, Action<byte[]> change)
    {
        byte[] copy = (byte[])payload.Clone();
        change(copy);
        return copy;
    }

    private static void AssertRejected(byte[] payload, int destinationLength, string expected)
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => Hybrid.Decompress(payload, new float[destinationLength]));
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
