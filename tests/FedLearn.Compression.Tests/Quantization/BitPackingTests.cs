using FedLearn.Compression.Quantization;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Quantization;

public sealed class BitPackingTests
{
    [Test]
    public void Every_width_and_length_round_trips([Range(1, 32)] int bits)
    {
        var random = new DeterministicRandom((ulong)bits);
        for (int length = 0; length <= 70; length++)
        {
            uint[] codes = new uint[length];
            for (int i = 0; i < length; i++)
            {
                codes[i] = (uint)(random.NextUInt64() & ((1UL << bits) - 1));
            }

            byte[] packed = new byte[BitPacking.PackedLength(length, bits)];
            Assert.That(BitPacking.Pack(codes, bits, packed), Is.EqualTo(packed.Length));
            uint[] unpacked = new uint[length];
            BitPacking.Unpack(packed, bits, unpacked, "value");
            Assert.That(unpacked, Is.EqualTo(codes), $"length {length}");
        }
    }

    [Test]
    public void A_section_of_the_wrong_length_is_rejected_by_name()
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => BitPacking.Unpack(new byte[3], 5, new uint[10], "value"));
        Assert.That(ex!.Message, Does.Contain("value section is 3 bytes").And.Contain("need 7"));
    }
}
