using System.Text;
using FedLearn.Compression.Wire;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Wire;

public sealed class Crc32CTests
{
    [Test]
    public void Matches_the_standard_check_values()
    {
        // The CRC-32C catalogue check value, and the iSCSI test vector of 32 zero bytes (RFC 3720, B.4).
        Assert.That(Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")), Is.EqualTo(0xE3069283u));
        Assert.That(Crc32C.Compute(new byte[32]), Is.EqualTo(0x8A9136AAu));
        Assert.That(Crc32C.Compute([]), Is.EqualTo(0u));
    }

    [Test]
    public void Hardware_and_table_paths_agree_on_every_length_and_alignment()
    {
        var random = new DeterministicRandom(1);
        byte[] data = new byte[400];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (byte)random.NextUInt64();
        }

        for (int offset = 0; offset < 8; offset++)
        {
            for (int length = 0; length + offset <= 300; length++)
            {
                ReadOnlySpan<byte> slice = data.AsSpan(offset, length);
                Assert.That(Crc32C.Append(0xFFFFFFFFu, slice), Is.EqualTo(Crc32C.AppendSoftware(0xFFFFFFFFu, slice)), $"offset {offset} length {length}");
            }
        }
    }
}
