using FedLearn.Compression.Wire;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Wire;

public sealed class BitReaderTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Fields_and_unary_runs_written_are_read_back(int seed)
    {
        var random = new DeterministicRandom((ulong)seed);
        int count = random.NextInt(200);
        var fields = new List<(bool Unary, uint Value, int Bits)>();
        for (int i = 0; i < count; i++)
        {
            if (random.NextInt(3) == 0)
            {
                fields.Add((true, (uint)random.NextInt(150), 0));
            }
            else
            {
                int bits = random.NextInt(33);
                fields.Add((false, (uint)(random.NextUInt64() & ((1UL << bits) - 1)), bits));
            }
        }

        byte[] buffer = new byte[(fields.Sum(f => f.Unary ? (long)f.Value + 1 : f.Bits) + 7) / 8];
        var writer = new BitWriter(buffer);
        foreach (var f in fields)
        {
            if (f.Unary)
            {
                writer.WriteUnary((int)f.Value);
            }
            else
            {
                writer.Write(f.Value, f.Bits);
            }
        }

        bool ok = writer.Flush() == buffer.Length;
        var reader = new BitReader(buffer, "test");
        foreach (var f in fields)
        {
            ok &= (f.Unary ? (uint)reader.ReadUnary(1000) : reader.Read(f.Bits)) == f.Value;
        }

        reader.EnsureConsumed();
        return ok.ToProperty();
    }

    [Test]
    public void Reading_past_the_end_names_the_section()
    {
        var ex = Assert.Throws<FedLearnFormatException>(() =>
        {
            var reader = new BitReader(new byte[2], "index");
            reader.Read(12);
            reader.Read(12);
        });
        Assert.That(ex!.Message, Does.Contain("index section ends early"));
    }

    [Test]
    public void A_unary_run_longer_than_allowed_is_rejected_without_reading_on()
    {
        var ex = Assert.Throws<FedLearnFormatException>(() => new BitReader(new byte[1000], "index").ReadUnary(100));
        Assert.That(ex!.Message, Does.Contain("longer than the 100"));
    }

    [Test]
    public void Unused_trailing_bytes_are_reported()
    {
        var ex = Assert.Throws<FedLearnFormatException>(() =>
        {
            var reader = new BitReader(new byte[3], "value");
            reader.Read(8);
            reader.EnsureConsumed();
        });
        Assert.That(ex!.Message, Does.Contain("value section is 3 bytes but its content ends after 1"));
    }
}
