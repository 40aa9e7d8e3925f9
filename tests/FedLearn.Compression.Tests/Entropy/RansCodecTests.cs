using FedLearn.Compression.Entropy;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Entropy;

public sealed class RansCodecTests
{
    [FsCheck.NUnit.Property(MaxTest = 300)]
    public Property Any_symbols_round_trip(int seed, byte bitsByte, byte skewByte)
    {
        int bits = 1 + (bitsByte % 8);
        int count = (int)((uint)seed % 3000);
        var random = new DeterministicRandom((ulong)seed);
        double skew = skewByte / 64.0;
        uint[] symbols = new uint[count];
        for (int i = 0; i < count; i++)
        {
            // Geometric-ish draws: from uniform (skew 0) to nearly constant (skew 4).
            double u = random.NextDouble();
            symbols[i] = (uint)Math.Min((1 << bits) - 1, Math.Floor(-Math.Log(1 - u) * (1 << bits) / (1 + (skew * 16))));
        }

        byte[] buffer = new byte[RansCodec.MaxEncodedLength(count, bits)];
        int length = RansCodec.Encode(symbols, bits, buffer);
        uint[] decoded = new uint[count];
        RansCodec.Decode(buffer.AsSpan(0, length), bits, decoded);
        return decoded.SequenceEqual(symbols).Label($"bits={bits} count={count}");
    }

    [Test]
    public void Size_is_within_one_percent_of_the_empirical_entropy_plus_table()
    {
        var random = new DeterministicRandom(11);
        uint[] symbols = new uint[200_000];
        for (int i = 0; i < symbols.Length; i++)
        {
            symbols[i] = (uint)Math.Clamp(128 + Math.Round(random.NextGaussian() * 12), 0, 255);
        }

        double entropyBits = symbols.GroupBy(s => s).Sum(g => -g.Count() * Math.Log2((double)g.Count() / symbols.Length));
        byte[] buffer = new byte[RansCodec.MaxEncodedLength(symbols.Length, 8)];
        int length = RansCodec.Encode(symbols, 8, buffer);
        int table = FrequencyTable.MaxSerializedLength(256);
        Assert.That((length - table) * 8.0 / entropyBits, Is.LessThan(1.01));
        Assert.That(length * 8.0, Is.GreaterThan(entropyBits));
    }

    [Test]
    public void Normalized_frequencies_sum_to_the_total_and_keep_every_present_symbol()
    {
        long[] counts = new long[256];
        counts[0] = 1_000_000_000;
        for (int s = 1; s < 256; s++)
        {
            counts[s] = 1;
        }

        int[] frequencies = new int[256];
        FrequencyTable.Normalize(counts, counts.Sum(), frequencies);
        Assert.That(frequencies.Sum(), Is.EqualTo(FrequencyTable.Total));
        Assert.That(frequencies, Has.All.GreaterThanOrEqualTo(1));
    }

    [Test]
    public void A_stream_cut_short_is_rejected()
    {
        uint[] symbols = Enumerable.Range(0, 1000).Select(i => (uint)(i * 7 % 256)).ToArray();
        byte[] buffer = new byte[RansCodec.MaxEncodedLength(symbols.Length, 8)];
        int length = RansCodec.Encode(symbols, 8, buffer);
        Assert.Throws<FedLearnFormatException>(() => RansCodec.Decode(buffer.AsSpan(0, length - 10), 8, new uint[symbols.Length]));
    }

    [Test]
    public void A_table_that_does_not_sum_to_the_total_is_rejected()
    {
        byte[] section = [0b0000_0011, 5, 5, 0, 0, 0x80, 0];
        var ex = Assert.Throws<FedLearnFormatException>(() => RansCodec.Decode(section, 3, new uint[4]));
        Assert.That(ex!.Message, Does.Contain("sums to 12"));
    }
}
